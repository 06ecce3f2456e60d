"""Reconcile time on synthetic extractions: how it grows from 1,000 to 10,000.

    python benchmarks/reconcile_scale.py [--sizes 1000,10000] [--repeat 3]

Synthetic but shaped like real feeds: a vocabulary of a few hundred groups and places with
transliteration variants, several outlets per event, dated and undated reports, background
mentions, reactions with name variants. Runs on one core (reconcile is single-threaded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import time

from llmsum import reconcile
from llmsum.models import ArticleExtraction, ArticleRef, Figure, Location, OfficialReaction, Stance, StrikeReport

VOWELS = "aeiou"


def _variant(name: str, rng: random.Random) -> str:
    """A transliteration-like variant: swap one vowel, sometimes drop 'al-'."""
    chars = list(name)
    spots = [i for i, c in enumerate(chars) if c in VOWELS]
    if spots and rng.random() < 0.5:
        chars[rng.choice(spots)] = rng.choice(VOWELS)
    out = "".join(chars)
    return out.replace("al-", "") if rng.random() < 0.2 else out


def _name(rng: random.Random, syllables: int) -> str:
    cons = "bdfghjklmnqrstvwz"
    return "".join(rng.choice(cons) + rng.choice(VOWELS) for _ in range(syllables)).capitalize()


def make_extractions(n: int, seed: int = 7, spellings: int = 3) -> list[ArticleExtraction]:
    """Each entity is written in a few spellings across outlets (as in real feeds), not a new one
    at every mention: 900 entities, up to ``spellings`` variants each."""
    rng = random.Random(seed)
    groups = [f"{_name(rng, 3)} {_name(rng, 2)}" for _ in range(200)]
    places = [f"al-{_name(rng, 3)}" for _ in range(300)]
    people = [f"{_name(rng, 2)} {_name(rng, 3)}" for _ in range(400)]
    variants = {name: [name] + [_variant(name, rng) for _ in range(spellings - 1)] for name in groups + places + people}

    def spell(name: str) -> str:
        return rng.choice(variants[name])

    attackers = ["United States", "US", "Israel", "UK"]
    n_events = max(1, n // 4)
    start = dt.date(2024, 1, 1)
    events = [
        (
            start + dt.timedelta(days=rng.randrange(365)),
            rng.sample(groups, 2),
            rng.sample(places, 2),
            rng.choice(attackers),
        )
        for _ in range(n_events)
    ]
    out = []
    for i in range(n):
        day, gs, ps, attacker = events[rng.randrange(n_events)]
        dated = rng.random() < 0.85
        killed = rng.randrange(0, 30)
        strike = StrikeReport(
            event_date=(day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))).isoformat() if dated else None,
            attacker=attacker,
            target_groups=[spell(g) for g in gs[: rng.randint(1, 2)]],
            locations=[Location(name=spell(p)) for p in ps[: rng.randint(1, 2)]],
            facilities_struck=rng.choice([None, 1, 2, 3]),
            killed=Figure(min=killed, max=killed + rng.choice([0, 0, 2]), text=f"{killed} killed"),
            attributed_to=rng.choice(["officials", "a militia spokesman", None]),
            background=rng.random() < 0.1,
        )
        reactions = [
            OfficialReaction(speaker=spell(rng.choice(people)), stance=rng.choice(list(Stance)), about=0)
            for _ in range(rng.randint(0, 4))
        ]
        out.append(
            ArticleExtraction(
                article=ArticleRef(id=f"a{i:06d}.txt", published=(day + dt.timedelta(days=1)).isoformat()),
                strikes=[strike],
                reactions=reactions,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spellings", type=int, default=3, help="spellings per entity across outlets")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# reconcile scale — {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"spellings per entity: {args.spellings}; best of {args.repeat} runs (name caches warm after the first)")
    print("| extractions | events | first run s | best s | s per 1k (best) |")
    print("|---:|---:|---:|---:|---:|")
    results = {}
    for size in sizes:
        data = make_extractions(size, spellings=args.spellings)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            brief = reconcile(data)
            times.append(time.perf_counter() - t0)
        results[size] = times[0]
        print(
            f"| {size:,} | {len(brief.events):,} | {times[0]:.3f} | {min(times):.3f} | {min(times) / size * 1000:.3f} |"
        )
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        print(f"\ngrowth {a:,} -> {b:,} (first runs): x{results[b] / results[a]:.1f} time for x{b / a:.0f} data")


if __name__ == "__main__":
    main()
