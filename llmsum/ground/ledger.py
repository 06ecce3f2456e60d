"""The grounding ledger: one article's text, the spans found in it, and every problem noticed.

Grounding functions take a ``Ledger`` instead of sharing a class: each one finds or drops values,
and the ledger is the one place that knows how a drop, a flag or an unverified value is recorded,
so every stage of grounding reports in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from llmsum.models import Article, MatchKind, Problem, ProblemKind, Span
from llmsum.prose import align
from llmsum.prose.names import actor_variants

QUOTE_THRESHOLD = 90.0
NAME_THRESHOLD = 88.0


@dataclass
class Ledger:
    article: Article
    problems: list[Problem] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, needle: str | None, field_name: str, threshold: float = NAME_THRESHOLD) -> Span | None:
        if not needle:
            return None
        hit = align.find(needle, self.text, threshold=threshold)
        if hit is None:
            return None
        return Span(
            text=self.text[hit.start : hit.end],
            start=hit.start,
            end=hit.end,
            field=field_name,
            match=MatchKind(hit.method),
            score=hit.score,
        )

    def span_or_alias(self, name: str | None, field_name: str) -> Span | None:
        """Where the article writes ``name`` or, for an actor the alias data knows, another of its
        names: "United States" is written as "US" or "the Pentagon" as often as in full."""
        if not name:
            return None
        if (hit := self.span(name, field_name)) is not None:
            return hit
        hay, index = align.folded(self.text)
        for variant in sorted(actor_variants(name) - {""}, key=len, reverse=True):
            for at in _whole_word_hits(hay, variant):
                start, end = index[at], index[at + len(variant) - 1] + 1
                written = self.text[start:end]
                if len(variant.replace(" ", "")) <= 3 and not written.replace(".", "").replace(" ", "").isupper():
                    continue  # "us" the pronoun is not the US
                return self.found(start, end, field_name, MatchKind.alias)
        return None

    def found(self, start: int, end: int, field_name: str, match: MatchKind) -> Span:
        """A span llmsum located itself (not by aligning the model's words): always a full score."""
        return Span(text=self.text[start:end], start=start, end=end, field=field_name, match=match, score=100.0)

    def note(self, kind: ProblemKind, message: str, **extra: object) -> None:
        self.problems.append(Problem(kind=kind, message=message, **extra))

    def unverified(self, field_name: str, value: object) -> None:
        """Kept but flagged: a paraphrase such as 'United States' for 'American jets' is often right,
        and the reader is told it is not a verbatim span."""
        self.note(
            ProblemKind.unverified,
            f"{field_name} {value!r} is not written as such in the article; kept as the model's paraphrase",
            field=field_name,
        )

    def flag(self, kind: ProblemKind, message: str, speaker: str) -> None:
        """A problem with a reaction's quote, kept for the reader next to the reaction."""
        self.note(kind, message, field="quote", speaker=speaker)

    def drop(self, field_name: str, value: object, why: str) -> None:
        self.note(ProblemKind.ungrounded, f"{field_name} {value!r} dropped: {why}", field=field_name)


def _whole_word_hits(hay: str, needle: str) -> list[int]:
    """Starts of ``needle`` in the folded text where it stands as whole words."""
    hits, at = [], hay.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or not hay[at - 1].isalnum()) and (end >= len(hay) or not hay[end].isalnum()):
            hits.append(at)
        at = hay.find(needle, at + 1)
    return hits
