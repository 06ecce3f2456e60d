"""The scores as plain-text tables: headlines first, then what went wrong."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[_fmt(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append(
            "  "
            + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(scores: dict[str, Any], max_errors: int = 40) -> str:
    """The scores as plain-text tables, headlines first, then what went wrong (at most ``max_errors``)."""
    s, r, ev, arts = scores["strikes"], scores["reactions"], scores["events"], scores["articles"]
    parts = [
        f"strike_field_f1 {_fmt(scores['strike_field_f1'])}    reaction_recall {_fmt(scores['reaction_recall'])}"
        f"    ({arts['scored']} articles scored, {scores.get('scope', 'US strikes')} counted"
        + (f", missing: {', '.join(arts['missing'])}" if arts["missing"] else "")
        + ")",
        _table(
            "Detection",
            ["", "gold", "pred", "TP", "FP", "FN", "ignored", "precision", "recall", "F1"],
            [
                [
                    name,
                    d["gold"],
                    d["predicted"],
                    d["tp"],
                    d["fp"],
                    d["fn"],
                    sum(d["ignored"].values()),
                    d["precision"],
                    d["recall"],
                    d["f1"],
                ]
                for name, d in (("strikes", s), ("reactions", r))
            ],
        ),
        _table(
            f"Strike fields (over {s['matched']} matched strikes; field F1 {_fmt(s['field_f1'])})",
            ["field", "correct", "total", "accuracy"],
            [[name, f["correct"], f["total"], f["accuracy"]] for name, f in s["fields"].items()],
        ),
        _table(
            "Reactions (over matched speakers)",
            ["", "correct", "total", "accuracy"],
            [
                ["stance", r["stance_correct"], r["tp"], r["stance_accuracy"]],
                ["quote", r["quote_correct"], r["quote_total"], r["quote_accuracy"]],
            ],
        ),
        _table(
            "Events",
            [
                "",
                "gold",
                "pred",
                "exact",
                "split",
                "merged",
                "missed",
                "extra",
                "date",
                "killed",
                "wounded",
                "conflicts (+spurious)",
            ],
            [
                [
                    name,
                    e["gold"],
                    e["predicted"],
                    e["exact"],
                    e["split"],
                    e["merged"],
                    e["missed"],
                    e["extra"],
                    e["date_right"],
                    e["killed_right"],
                    e["wounded_right"],
                    f"{e['conflicts_found']}/{e['conflicts_expected']} (+{e['spurious_conflicts']})",
                ]
                for name, e in (("main", ev["main"]), ("background", ev["background"]), ("all", ev))
            ],
        ),
    ]
    g = scores.get("grounding")
    if g is None:
        parts.append("Grounding: not scored (no article texts)")
    else:
        parts.append(
            _table(
                "Grounding (verbatim in the article)",
                ["", "verbatim", "total", "share"],
                [
                    ["quotes", g["quotes_verbatim"], g["quotes_total"], g["quote_share"]],
                    ["figures", g["figures_verbatim"], g["figures_total"], g["figure_share"]],
                ],
            )
        )
    errors = scores.get("errors", [])
    if errors:
        lines = [f"Errors ({len(errors)})"]
        for err in errors[:max_errors]:
            detail = ", ".join(f"{k}={v}" for k, v in err.items() if k not in ("kind", "article"))
            lines.append(f"  {err['kind']:<22} {err.get('article', ''):<26} {detail}")
        if len(errors) > max_errors:
            lines.append(f"  ... and {len(errors) - max_errors} more")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
