"""PLOVER and ACLED exports: what analysts load, checked against the shipped JSON Schemas."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import llmsum
from llmsum.cli import app
from llmsum.eval.gold import gold_extractions
from llmsum.io.export import ExportFormat, schema_text, shipped_schema, to_acled_csv, to_plover_jsonl
from llmsum.models import Stance
from tests.conftest import ROOT
from tests.handmade import handmade

SEEDS_BRIEF = ROOT / "examples" / "seeds" / "brief.json"
DEV = ROOT.parent / "shared" / "dev"
ACLED_COLUMNS = [
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]
runner = CliRunner()


def _validator(fmt: ExportFormat) -> jsonschema.Draft202012Validator:
    schema = json.loads(shipped_schema(fmt))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def plover(brief: llmsum.Brief) -> list[dict]:
    """The PLOVER export, each line checked against the shipped schema."""
    validator = _validator(ExportFormat.plover)
    records = [json.loads(line) for line in to_plover_jsonl(brief).splitlines()]
    for record in records:
        validator.validate(record)
    return records


def acled(brief: llmsum.Brief) -> list[dict]:
    """The ACLED export, each row (cells typed by the schema) checked against the shipped schema."""
    validator = _validator(ExportFormat.acled)
    types = {
        name: {t["type"] for t in prop.get("anyOf", [prop]) if "type" in t}
        for name, prop in validator.schema["properties"].items()
    }
    reader = csv.DictReader(io.StringIO(to_acled_csv(brief)))
    assert reader.fieldnames == list(validator.schema["properties"])
    rows = []
    for raw in reader:
        row: dict[str, object] = {}
        for name, cell in raw.items():
            if cell == "" and "null" in types[name]:
                row[name] = None
            elif "integer" in types[name]:
                row[name] = int(cell)
            elif "boolean" in types[name]:
                row[name] = {"true": True, "false": False}[cell]
            else:
                row[name] = cell
        validator.validate(row)
        rows.append(row)
    return rows


def test_the_shipped_schemas_are_the_record_models_schemas() -> None:
    for fmt in ExportFormat:
        assert shipped_schema(fmt) == schema_text(fmt), (
            f"regenerate with: llmsum export --to {fmt.value} --schema -o llmsum/io/schemas/{fmt.value}.schema.json"
        )


@pytest.fixture(scope="module")
def seeds_brief() -> llmsum.Brief:
    return llmsum.Brief.model_validate_json(SEEDS_BRIEF.read_text(encoding="utf-8"))


def test_seeds_export_three_aerial_assaults_and_an_accuse_record_per_condemnation(seeds_brief: llmsum.Brief) -> None:
    records = plover(seeds_brief)
    # the earlier attacks the seeds mention as context are exported too, marked as background
    background = [r for r in records if r["event"] == "ASSAULT" and r["background"]]
    assert len(background) == sum(e.background for e in seeds_brief.events) > 0
    assaults = [r for r in records if r["event"] == "ASSAULT" and not r["background"]]
    assert len(assaults) == 3
    reported = [e for e in seeds_brief.events if not e.background]
    for record, event in zip(assaults, reported, strict=True):
        assert (record["mode"], record["cameo"]) == ("aerial", "195")
        assert record["actor"] == [{"actor_text": "United States"}]
        assert [c["citation"] for c in record["cite_info"]] == event.articles
        assert record["event_text"] and all(t["start"] is not None for t in record["event_text"])
    condemnations = [r for e in seeds_brief.events for r in e.reactions if r.stance == Stance.condemn]
    accuse = [r for r in records if r["event"] == "ACCUSE"]
    assert len(accuse) == len(condemnations) > 0
    assert {r["mode"] for r in accuse} == {"disapprove"} and {r["cameo"] for r in accuse} == {"111"}
    quoted = [r for r in accuse if r["event_text"]]
    assert quoted and all(t["end"] > t["start"] for r in quoted for t in r["event_text"])
    # a justification has no PLOVER category: it stays in the brief with its CAMEO code only
    justified = sum(1 for e in seeds_brief.events for r in e.reactions if r.stance == Stance.justify)
    assert justified and all(r["stance"] != "justify" for r in records)


def test_seeds_acled_row_codes_the_lowest_toll_and_notes_the_others(seeds_brief: llmsum.Brief) -> None:
    rows = [r for r in acled(seeds_brief) if not r["background"]]
    assert len(rows) == 3
    (row,) = [r for r in rows if r["event_date"] == "2019-12-29"]
    assert row["fatalities"] == 19
    assert (row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]) == (19, 25, 25)
    assert "25" in row["notes"] and "19" in row["notes"]
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (row["actor1"], row["actor2"], row["country"]) == ("United States", "Kataib Hezbollah", "Iraq")
    # the article places it "in western Iraq and eastern Syria": UCDP's 5, a part of a country
    assert (row["time_precision"], row["geo_precision"], row["ucdp_where_prec"]) == (1, 3, 5)


def test_acled_columns_come_first_in_acleds_order(seeds_brief: llmsum.Brief) -> None:
    header = next(csv.reader(io.StringIO(to_acled_csv(seeds_brief))))
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert "llmsum_event_id" in header[len(ACLED_COLUMNS) :]


def test_other_attackers_are_exported_with_their_own_actor() -> None:
    extractions, texts = handmade()
    brief = llmsum.reconcile(extractions, texts=texts)
    records = plover(brief)
    assaults = {r["actor"][0]["actor_text"]: r for r in records if r["event"] == "ASSAULT"}
    assert {a: (r["mode"], r["cameo"]) for a, r in assaults.items()} == {
        "Israel": ("aerial", "195"),
        "Iran": ("heavy-weapons", "194"),
        "Islamic Resistance in Iraq": ("drone", "1952"),
    }
    assert assaults["Islamic Resistance in Iraq"]["recipient"] == [{"actor_text": "US forces"}]
    assert assaults["Iran"]["civilian_victims"] is True and assaults["Iran"]["dead"] == 4
    threat = next(r for r in records if r["event"] == "THREATEN")
    assert threat["actor"] == [{"actor_text": "Iranian foreign minister"}]
    assert threat["recipient"] == [{"actor_text": "Israel"}] and threat["mode"] == "violence"
    assert threat["date"] == "2024-03-05"  # the day the statement was reported
    request = next(r for r in records if r["event"] == "REQUEST")
    assert request["recipient"] == []  # a call for restraint is aimed at no one side
    rows = {r["actor1"]: r for r in acled(brief)}
    assert rows["Iran"]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert rows["Islamic Resistance in Iraq"]["sub_event_type"] == "Air/drone strike"
    assert rows["Islamic Resistance in Iraq"]["wounded"] == 12  # "dozens", ACLED's way
    assert rows["Israel"]["source"] == "Example Wire"


@pytest.mark.skipif(not (DEV / "gold.json").exists(), reason="../shared/dev not present")
def test_dev_gold_exports_every_attacker() -> None:
    """The dev corpus's gold, reconciled and exported: strikes by the US, Iran, Israel and a militia."""
    gold = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))
    texts = {a.id: a.text for a in llmsum.load_articles(DEV / "articles")}
    brief = llmsum.reconcile(gold_extractions(gold, texts), texts=texts)
    records = plover(brief)
    assaults = Counter(r["actor"][0]["actor_text"] for r in records if r["event"] == "ASSAULT")
    assert {"United States", "Iran", "Israel", "Islamic Resistance in Iraq"} <= set(assaults)
    assert sum(assaults.values()) == len(brief.events)
    modes = {(r["actor"][0]["actor_text"], r["mode"]) for r in records if r["event"] == "ASSAULT"}
    assert {("Iran", "heavy-weapons"), ("Israel", "aerial"), ("Islamic Resistance in Iraq", "drone")} <= modes
    events = Counter(r["event"] for r in records)
    assert events["ACCUSE"] == sum(1 for e in brief.events for r in e.reactions if r.stance == Stance.condemn)
    assert events["THREATEN"] == sum(1 for e in brief.events for r in e.reactions if r.stance == Stance.threaten)
    rows = acled(brief)
    assert len(rows) == len(brief.events)
    assert {r["actor1"] for r in rows} >= {"Iran", "Israel", "Islamic Resistance in Iraq"}


def test_cli_export_writes_both_formats_and_prints_schemas(seeds_brief: llmsum.Brief, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = runner.invoke(app, ["export", str(SEEDS_BRIEF), "--to", "plover", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == to_plover_jsonl(seeds_brief)
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", str(SEEDS_BRIEF), "--to", "acled", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == to_acled_csv(seeds_brief)
    result = runner.invoke(app, ["export", "--to", "acled", "--schema"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "llmsum ACLED-style row"
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert runner.invoke(app, ["export", str(tmp_path / "bad.json")]).exit_code == 2
    assert runner.invoke(app, ["export", str(SEEDS_BRIEF), "--to", "gdelt"]).exit_code == 2
    assert runner.invoke(app, ["export"]).exit_code == 2


def test_a_toll_coded_from_vague_words_is_credited_to_the_words() -> None:
    """ "Dozens were wounded" (12, ACLED's way) beside another outlet's 30: the coded figure is the
    words' and the note says so, the 30 among the others."""
    from llmsum.models import ArticleExtraction, Figure, Location, StrikeReport

    def report(article: str, wounded: Figure) -> ArticleExtraction:
        strike = StrikeReport(
            attacker="Northland",
            target_groups=["Red Hand"],
            locations=[Location(name="Varo")],
            event_date="2031-05-05",
            wounded=wounded,
        )
        return ArticleExtraction(article={"id": article, "published": "2031-05-06"}, strikes=[strike])

    brief = llmsum.reconcile(
        [
            report("a.txt", Figure(min=30, max=30, text="30 wounded")),
            report("b.txt", Figure(text="dozens were wounded")),
        ]
    )
    (row,) = acled(brief)
    assert row["wounded"] == 12
    assert (
        "12 coded, the lowest reported [dozens were wounded (b.txt)]; others reported 30 wounded (a.txt)"
        in row["notes"]
    )
