"""The event datasets' vocabularies as llmsum writes them, and the fixed tables between them.

Analysts load strike briefs next to POLECAT (coded in PLOVER, the ontology that replaced CAMEO),
ACLED and UCDP GED. The closed sets llmsum uses (PLOVER categories and modes, precision levels,
kinds of victims) are enums here, and so are the tables that translate them into each dataset's own
codes: a stance's CAMEO code and PLOVER category, a strike's CAMEO code, ACLED's sub-event types and
precision numbers, UCDP's. Both the reconciler (which codes events) and the exporters (which lay them
out) read them from here, so each code is written down once. Sources: docs/coding.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from llmsum.models.records import Stance


class PloverEvent(StrEnum):
    """PLOVER event categories llmsum writes (the ontology that replaced CAMEO; POLECAT is coded in it).
    The others (AGREE, CONSULT, ...) describe nothing a strike brief reports."""

    ASSAULT = "ASSAULT"
    ACCUSE = "ACCUSE"
    THREATEN = "THREATEN"
    REJECT = "REJECT"
    SUPPORT = "SUPPORT"
    REQUEST = "REQUEST"


class PloverMode(StrEnum):
    """PLOVER modes llmsum writes: how a strike was carried out, or what a statement does."""

    aerial = "aerial"  # ASSAULT by manned aircraft: air strikes, warplanes, jets, helicopters
    drone = "drone"  # ASSAULT by unmanned aircraft
    heavy_weapons = "heavy-weapons"  # ASSAULT with crew-served weapons: missiles, rockets, artillery
    disapprove = "disapprove"  # ACCUSE: condemn, criticise
    violence = "violence"  # THREATEN: threaten retaliation by force
    yield_ = "yield"  # REQUEST: call for restraint, de-escalation (the DEMAND/REJECT mode for ceasefires)


class DatePrecision(StrEnum):
    """How precisely the articles date the event (UCDP GED ``date_prec`` 1, 3, 4, 5)."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


class LocationPrecision(StrEnum):
    """How precisely the articles place the event (UCDP GED ``where_prec`` 1 to 7)."""

    place = "place"  # a named town, village, base, street or building
    near = "near"  # near or outside a named place ("south of Baghdad")
    district = "district"  # a second-order administrative division
    province = "province"  # a first-order administrative division ("Anbar province")
    region = "region"  # part of a country ("eastern Syria", "a border area")
    country = "country"  # only the country
    international = "international"  # international waters or airspace


class VictimKind(StrEnum):
    """Who a toll says was killed or wounded. Soldiers and police killed by a strike on a militia
    are not the militia's fighters, and civilians are neither."""

    civilians = "civilians"
    security_forces = "security_forces"
    fighters = "fighters"


# --------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class StanceCode:
    """A stance as CAMEO and PLOVER code it. ``plover`` is None where PLOVER has no category."""

    cameo: str
    plover: PloverEvent | None
    mode: PloverMode | None
    context: tuple[str, ...]


# CAMEO codes from the CAMEO manual (1.1b3); PLOVER category, mode and context from the PLOVER manual's
# CAMEO-to-PLOVER table (CAMEO2PLOVER-2021.txt), except REQUEST, which that draft drops (see docs/coding.md).
STANCE_CODES: dict[Stance, StanceCode] = {
    Stance.condemn: StanceCode("111", PloverEvent.ACCUSE, PloverMode.disapprove, ()),  # criticize or denounce
    Stance.threaten: StanceCode("138", PloverEvent.THREATEN, PloverMode.violence, ("military",)),  # military force
    # appeal for de-escalation of military engagement (CAMEO 02 APPEAL; a request in PLOVER as POLECAT codes it)
    Stance.call_for_restraint: StanceCode("0256", PloverEvent.REQUEST, PloverMode.yield_, ("military",)),
    Stance.support: StanceCode("051", PloverEvent.SUPPORT, None, ("diplomatic",)),  # praise or endorse
    # make statement: CAMEO 01 (public statements) has no PLOVER category, so a justification of one's own
    # strike, or any other comment, keeps only its CAMEO code
    Stance.justify: StanceCode("010", None, None, ()),
    Stance.other: StanceCode("010", None, None, ()),
}
CAMEO: dict[Stance, str] = {stance: code.cameo for stance, code in STANCE_CODES.items()}

# --------------------------------------------------------------------------- strikes

# CAMEO "19: FIGHT" codes by how the strike was carried out (CAMEO manual 1.1b3); all are PLOVER ASSAULT.
STRIKE_CAMEO: dict[PloverMode | None, str] = {
    PloverMode.drone: "1952",  # employ remotely piloted aerial munitions
    PloverMode.aerial: "195",  # employ aerial weapons
    PloverMode.heavy_weapons: "194",  # fight with artillery and tanks
    None: "190",  # use conventional military force
}
STRIKE_CONTEXT = ("military",)  # PLOVER context of CAMEO 19x in CAMEO2PLOVER-2021

# ACLED codebook: every strike is event type "Explosions/Remote violence" in disorder type "Political
# violence"; the sub-event type follows the means. No means stated: no sub-event type (left empty).
ACLED_DISORDER_TYPE = "Political violence"
ACLED_EVENT_TYPE = "Explosions/Remote violence"
ACLED_SUB_EVENT: dict[PloverMode, str] = {
    PloverMode.aerial: "Air/drone strike",
    PloverMode.drone: "Air/drone strike",
    PloverMode.heavy_weapons: "Shelling/artillery/missile attack",
}

# --------------------------------------------------------------------------- precision

UCDP_DATE_PREC: dict[DatePrecision, int] = {  # UCDP GED codebook, date_prec
    DatePrecision.day: 1,
    DatePrecision.week: 3,
    DatePrecision.month: 4,
    DatePrecision.year: 5,
}
ACLED_TIME_PRECISION: dict[DatePrecision, int] = {  # ACLED codebook, time_precision
    DatePrecision.day: 1,
    DatePrecision.week: 2,
    DatePrecision.month: 3,
    DatePrecision.year: 3,  # ACLED's coarsest level is the month
}
UCDP_WHERE_PREC: dict[LocationPrecision, int] = {  # UCDP GED codebook, where_prec
    LocationPrecision.place: 1,
    LocationPrecision.near: 2,
    LocationPrecision.district: 3,
    LocationPrecision.province: 4,
    LocationPrecision.region: 5,
    LocationPrecision.country: 6,
    LocationPrecision.international: 7,
}
ACLED_GEO_PRECISION: dict[LocationPrecision, int] = {  # ACLED codebook, geo_precision
    LocationPrecision.place: 1,
    LocationPrecision.near: 2,
    LocationPrecision.district: 2,
    LocationPrecision.province: 3,
    LocationPrecision.region: 3,
    LocationPrecision.country: 3,  # ACLED has no country level: its coarsest is the province or region
    LocationPrecision.international: 3,
}

# ACLED codes vague tolls conservatively (ACLED codebook, fatalities): tens 10, dozens 12, hundreds 100.
ACLED_VAGUE_TOLLS: dict[str, int] = {"tens": 10, "a dozen": 12, "dozens": 12, "hundreds": 100}
