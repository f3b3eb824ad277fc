"""afghangeo's own data tables: district aliases and notable places.

Every alias must lead the geocoder to its district, every notable place must lie in
the district and province it states, and where the (test-only) reference gazetteer
knows the same place, within 10 km of it. The reference file is only read here, to
measure; nothing in the tables is taken from it.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
from pathlib import Path

import pandas as pd
import pytest

import afghangeo as ag
from afghangeo import _data
from afghangeo._geo import great_circle_km
from afghangeo._vocab import AREA_KINDS, PLACE_KINDS
from afghangeo.gazetteer import Gazetteer
from afghangeo.names import fold_name, name_key

_TESTONLY = Path("shared", "data", "gazetteer", "testonly", "af_gazetteer_test.csv")
REFERENCE = next(
    (p / _TESTONLY for p in Path(__file__).resolve().parents[1:4] if (p / _TESTONLY).exists()),
    None,
)

ALIAS_COLUMNS = ["code", "district", "province", "alias", "type"]
ALIAS_TYPES = {"spelling", "former", "centre", "fa", "ps"}
PLACE_COLUMNS = ["name", "alternatenames", "kind", "lat", "lon", "province", "district", "note"]
NOTABLE_KINDS = {*PLACE_KINDS, "new_district"}
MIN_ALIASES = 800
MIN_PLACES = 300
MIN_PLACES_PER_PROVINCE = 3
SAME_PLACE_KM = 1.0
REFERENCE_KM = 10.0

ALIASES = _data.read_csv_rows("district_aliases.csv")
PLACES = _data.read_csv_rows("notable_places.csv")

# Aliases that today's geocoder does not bring to their district, and why.
# Strict: when the geocoder learns one, its test fails until it leaves the table.
XFAIL_DISTRICT: dict[str, str] = {
    "AF-BAL-317:بلخ": "also the Dari name of Balkh province, which answers instead",
    "AF-FRA-013:Qala-e Kah": "GeoNames spells the town Du Qal'ah (Shib Koh) so too; it outscores",
    "AF-FRA-013:قلعه کاه": "GeoNames spells the town Du Qal'ah (Shib Koh) so too; it outscores",
}

# Aliases that reach their district but are answered with a place in it (mostly the
# district's centre, whose GeoNames spellings share the alias's name key) rather than
# the district itself: today's geocoder prefers a place to the district around it.
XFAIL_PRECISION: frozenset[str] = frozenset(
    {
        "AF-BAL-316:Deh Dadi",
        "AF-BAL-316:Dih Dadi",
        "AF-BAM-339:Yaka Walang",
        "AF-BAM-339:Yakaolang",
        "AF-BAM-339:Yakolang",
        "AF-BAM-339:Yakowlang",
        "AF-BDG-054:Abi Kamari",
        "AF-BDG-056:Qala-i-Now",
        "AF-BDG-056:Qalai Naw",
        "AF-BDG-097:Ghor Mach",
        "AF-BDG-097:Ghurmach",
        "AF-BDG-098:Bala Morghab",
        "AF-BDG-098:Balamurghab",
        "AF-BDG-098:بالامرغاب",
        "AF-BDG-099:Jawend",
        "AF-BDS-229:Eshkashem",
        "AF-BDS-229:Ishkashem",
        "AF-BDS-235:Khawahan",
        "AF-BDS-235:Khowahan",
        "AF-BDS-248:Darayem",
        "AF-BDS-248:Drayem",
        "AF-BDS-249:Tishkan",
        "AF-BDS-252:Koran Wa Munjan",
        "AF-BGL-273:Pul-e Hesar",
        "AF-BGL-274:Borka",
        "AF-BGL-274:Burqa",
        "AF-BGL-275:Dehsalah",
        "AF-BGL-278:Polikhomri",
        "AF-BGL-278:Pulikhumri",
        "AF-BGL-278:پلخمری",
        "AF-BGL-279:Nahreen",
        "AF-BGL-283:Dahanai Ghori",
        "AF-BGL-283:Dahna-i-Ghori",
        "AF-DAY-106:Khedir",
        "AF-DAY-106:Khidir",
        "AF-DAY-108:Kejran",
        "AF-DAY-108:Kijran",
        "AF-FRA-017:Lash-o-Juwain",
        "AF-FYB-074:Khan Charbagh",
        "AF-FYB-074:Khani Char Bagh",
        "AF-FYB-075:Andkhowy",
        "AF-FYB-082:Bel Cheragh",
        "AF-FYB-082:Bil Chiragh",
        "AF-FYB-082:Bilcheragh",
        "AF-FYB-082:بلچراغ",
        "AF-GHA-214:Ghazna",
        "AF-GHA-217:Khugyani",
        "AF-GHA-220:Qara Bagh",
        "AF-GHA-220:Qarabag",
        "AF-GHO-061:Tolak",
        "AF-GHO-092:لعل و سرجنگل",
        "AF-GHO-093:Dolat Yar",
        "AF-GHO-094:Firuzkoh",
        "AF-GHO-096:Dolaina",
        "AF-GHO-096:Dolina",
        "AF-GHO-096:Du Laina",
        "AF-GHO-096:Dulaina",
        "AF-GHO-096:دولینه",
        "AF-GHO-102:Teywara",
        "AF-GHO-102:Tiwara",
        "AF-GHO-105:Pasa Band",
        "AF-HEL-031:Darwishan",
        "AF-HEL-033:Nadi Ali",
        "AF-HEL-036:Sangeen",
        "AF-HEL-038:Nowzad",
        "AF-HEL-038:نوزاد",
        "AF-HEL-039:Musaqala",
        "AF-HER-003:Koshk-e Kohna",
        "AF-HER-003:Kushk-e Kohna",
        "AF-HER-006:Zinda Jan",
        "AF-HER-010:Awba",
        "AF-HER-010:Obah",
        "AF-JOW-065:Manga Jek",
        "AF-JOW-065:Mangajik",
        "AF-JOW-066:Khwaja Dokoh",
        "AF-JOW-066:خواجه دوکوه",
        "AF-JOW-067:Shebirghan",
        "AF-JOW-398:Qarqeen",
        "AF-JOW-399:Khamab",
        "AF-KAB-344:Qara Bagh",
        "AF-KAB-349:Mir Bacha Kowt",
        "AF-KAB-349:Mir Bachakot",
        "AF-KAB-349:میربچه کوت",
        "AF-KAN-043:Spinboldak",
        "AF-KAP-292:Ala Sai",
        "AF-KAP-292:Alasai",
        "AF-KAP-293:Tagaw",
        "AF-KDZ-393:Emam Sahib",
        "AF-KHO-156:Alisher",
        "AF-KHO-165:Speera",
        "AF-KNR-173:Noorgal",
        "AF-KNR-177:اسعدآباد",
        "AF-KNR-178:Sarkano",
        "AF-KNR-178:Sirkanay",
        "AF-KNR-178:Sirkani",
        "AF-KNR-182:Watapur",
        "AF-LAG-226:Qarghayee",
        "AF-LAG-227:Metharlam",
        "AF-LAG-227:Mitharlam",
        "AF-LAG-227:مهترلام",
        "AF-LAG-364:Dawlat Shahi",
        "AF-LAG-364:Dawlatshah",
        "AF-LOG-169:Barak-e Barak",
        "AF-NAN-119:Gushta",
        "AF-NAN-121:Mohmanddara",
        "AF-NAN-121:Momand Dara",
        "AF-NAN-137:Pacheer wa Agam",
        "AF-NUR-360:Bargematal",
        "AF-NUR-362:Paroon",
        "AF-NUR-363:Mandal",
        "AF-PAN-290:Anaba",
        "AF-PAR-298:Jabal Siraj",
        "AF-PAR-298:Jabal-e Seraj",
        "AF-PAR-298:Jabalus Saraj",
        "AF-PAR-298:Jabalussiraj",
        "AF-PAR-298:Jabul Seraj",
        "AF-PAR-302:Chaharkar",
        "AF-PAR-304:Siagird",
        "AF-PAR-304:Siahgird",
        "AF-PIA-144:Chamkanai",
        "AF-PIA-146:Said Karam",
        "AF-PIA-146:Syed Karam",
        "AF-PKA-189:Giyan",
        "AF-PKA-190:Orgoon",
        "AF-PKA-190:Urgoon",
        "AF-PKA-192:Matakhan",
        "AF-PKA-196:Umna",
        "AF-PKA-197:Yousuf Khel",
        "AF-PKA-198:Yahya Khail",
        "AF-PKA-198:Yaya Khel",
        "AF-PKA-199:Zarghun Shar",
        "AF-PKA-199:Zarghunshahr",
        "AF-PKA-200:Jani Khail",
        "AF-SAR-071:Saripul",
        "AF-SAR-334:Suzma Qala",
        "AF-TAK-255:Kalfgan",
        "AF-TAK-387:Chaab",
        "AF-TAK-387:Chahab",
        "AF-TAK-387:Chahi Ab",
        "AF-TAK-388:Yang Qala",
        "AF-TAK-391:Khoja Ghar",
        "AF-TAK-391:Khwajaghar",
        "AF-URU-063:ترینکوت",
        "AF-WAR-355:Maidanshahr",
        "AF-WAR-355:Maydanshar",
        "AF-WAR-372:Said Abad",
        "AF-WAR-372:Sayed Abad",
    }
)
PREFERS_PLACE = "answered with a place in the district, not the district itself"

# Notable places that today's geocoder does not answer with themselves or their district.
XFAIL_PLACES: dict[tuple[str, str], str] = {}


def _alias_id(row: dict[str, str]) -> str:
    return f"{row['code']}:{row['alias']}"


def _alias_params(xfails: dict[str, str]) -> list[object]:
    params = []
    for row in ALIASES:
        reason = xfails.get(_alias_id(row))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(row, id=_alias_id(row), marks=marks))
    return params


def _place_params(xfails: dict[tuple[str, str], str]) -> list[object]:
    params = []
    for row in PLACES:
        reason = xfails.get((row["province"], row["name"]))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(row, id=f"{row['province']}:{row['name']}", marks=marks))
    return params


@pytest.fixture(scope="module")
def district_table() -> pd.DataFrame:
    return pd.DataFrame(ag.districts().drop(columns="geometry"))


def _spellings(name: str, aliases: str) -> set[str]:
    return {fold_name(s) for s in [name, *aliases.split("|")] if s}


# --- table integrity ---------------------------------------------------------------------


def _header(name: str) -> list[str]:
    return next(csv.reader(io.StringIO(_data.read_text(name))))


def test_alias_table_columns_and_vocabulary(district_table: pd.DataFrame) -> None:
    assert _header("district_aliases.csv") == ALIAS_COLUMNS
    known = district_table.set_index("code")
    for row in ALIASES:
        assert row["code"] in known.index, row
        assert known.loc[row["code"], "name"] == row["district"], row
        assert known.loc[row["code"], "province"] == row["province"], row
        assert row["type"] in ALIAS_TYPES, row
        assert row["alias"] == row["alias"].strip() and fold_name(row["alias"]), row


def test_alias_table_has_no_duplicates_and_only_new_spellings(
    district_table: pd.DataFrame,
) -> None:
    known = district_table.set_index("code")
    seen: set[tuple[str, str]] = set()
    for row in ALIASES:
        key = (row["code"], fold_name(row["alias"]))
        assert key not in seen, f"duplicate alias {row}"
        seen.add(key)
        existing = _spellings(known.loc[row["code"], "name"], known.loc[row["code"], "aliases"])
        assert fold_name(row["alias"]) not in existing, f"already a spelling: {row}"
    assert len(seen) >= MIN_ALIASES


def test_no_alias_is_another_district_of_the_same_province(district_table: pd.DataFrame) -> None:
    names = collections.defaultdict(set)
    for rec in district_table.itertuples():
        names[rec.province] |= {(fold_name(rec.name), rec.name)}
    for row in ALIASES:
        clash = {d for f, d in names[row["province"]] if f == fold_name(row["alias"])}
        assert clash <= {row["district"]}, f"{row} is the name of {clash}"


def test_every_district_has_an_alias(district_table: pd.DataFrame) -> None:
    assert {r["code"] for r in ALIASES} == set(district_table["code"])


def test_place_table_columns_and_vocabulary() -> None:
    assert _header("notable_places.csv") == PLACE_COLUMNS
    provinces = set(ag.provinces()["name"])
    for row in PLACES:
        assert row["kind"] in NOTABLE_KINDS, row
        assert row["province"] in provinces, row
        assert row["name"].strip() == row["name"] and fold_name(row["name"]), row
        assert all(a.strip() for a in row["alternatenames"].split("|") if row["alternatenames"])
        assert row["note"].strip(), row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180


def test_place_table_is_large_and_covers_every_province() -> None:
    entries = Gazetteer.bundled().entries
    # rows that repeat a GeoNames place only add names to it: count the new places
    assert (entries["source"] == "afghangeo notable places").sum() >= MIN_PLACES
    counts = collections.Counter(r["province"] for r in PLACES)
    assert set(counts) == set(ag.provinces()["name"])
    assert min(counts.values()) >= MIN_PLACES_PER_PROVINCE, counts


def test_place_table_has_no_duplicates() -> None:
    keys = [(r["province"], name_key(r["name"])) for r in PLACES]
    assert len(keys) == len(set(keys))
    points = [(r["lat"], r["lon"]) for r in PLACES]
    assert len(points) == len(set(points))


def test_gazetteer_was_rebuilt_with_the_tables() -> None:
    entries = Gazetteer.bundled().entries
    districts = entries[entries["kind"] == "district"]
    names = dict(zip(districts["id"], districts["names"], strict=True))
    for row in ALIASES:
        assert row["alias"] in names[f"D-{row['code']}"].split("|"), row
    spellings = {
        fold_name(s) for n, o in zip(entries["name"], entries["names"], strict=True)
        for s in [n, *o.split("|")] if s
    }  # fmt: skip
    missing = [r["name"] for r in PLACES if fold_name(r["name"]) not in spellings]
    assert not missing, "run tools/build_gazetteer.py"


# --- every alias reaches its district ----------------------------------------------------


@functools.cache
def _place_spellings() -> dict[tuple[str, str], set[str]]:
    """(province, district) -> folded spellings of the bundled places (not areas) there."""
    entries = Gazetteer.bundled().entries
    out: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for rec in entries[~entries["kind"].isin(AREA_KINDS)].itertuples():
        out[(rec.province, rec.district)] |= _spellings(rec.name, rec.names)
    return out


@pytest.mark.parametrize("row", _alias_params(XFAIL_DISTRICT))
def test_alias_leads_to_its_district(row: dict[str, str]) -> None:
    place = ag.geocode(row["alias"], province=row["province"])
    assert place is not None, f"{row['alias']!r} is not found"
    assert (place.province, place.district) == (row["province"], row["district"]), place


@pytest.mark.parametrize(
    "row", _alias_params({**dict.fromkeys(XFAIL_PRECISION, PREFERS_PLACE), **XFAIL_DISTRICT})
)
def test_alias_answers_the_district_itself(row: dict[str, str]) -> None:
    place = ag.geocode(row["alias"], province=row["province"])
    assert place is not None and place.district == row["district"], place
    # the district itself, unless a place in it is spelled exactly so (Lashkargah)
    town = fold_name(row["alias"]) in _place_spellings()[(row["province"], row["district"])]
    assert place.precision == "district" or town, place


# --- every notable place lies where it says, and is found --------------------------------


@pytest.mark.parametrize("row", _place_params({}))
def test_place_lies_in_its_district(row: dict[str, str]) -> None:
    where = ag.locate(lon=float(row["lon"]), lat=float(row["lat"])).iloc[0]
    assert (where["province"], where["district"], where["status"]) == (
        row["province"],
        row["district"],
        "ok",
    )


@pytest.mark.parametrize("row", _place_params(XFAIL_PLACES))
def test_place_is_found_by_name(row: dict[str, str]) -> None:
    place = ag.geocode(row["name"], province=row["province"])
    assert place is not None, f"{row['name']!r} is not found"
    km = great_circle_km(place.lat, place.lon, float(row["lat"]), float(row["lon"]))
    assert km <= SAME_PLACE_KM or place.district == row["district"], place


@pytest.mark.skipif(REFERENCE is None, reason="../shared/data/gazetteer/testonly is not present")
def test_places_agree_with_the_reference_gazetteer() -> None:
    """Where the reference file has the same name in the same province, within 10 km."""
    assert REFERENCE is not None
    ref = pd.read_csv(REFERENCE, usecols=["name", "asciiname", "latitude", "longitude", "province"])
    # only rows whose point is in Afghanistan's bounding box (a few have broken coordinates)
    ref = ref[ref["latitude"].between(29, 39) & ref["longitude"].between(60, 75)]
    points: dict[tuple[str, str], list[tuple[float, float]]] = collections.defaultdict(list)
    for rec in ref.itertuples():
        for spelling in {rec.name, rec.asciiname}:
            if isinstance(spelling, str) and name_key(spelling):
                points[(name_key(spelling), rec.province)].append((rec.latitude, rec.longitude))
    compared, far = 0, []
    for row in PLACES:
        near = points.get((name_key(row["name"]), row["province"]))
        if not near:
            continue
        compared += 1
        lat, lon = float(row["lat"]), float(row["lon"])
        km = min(great_circle_km(lat, lon, a, b) for a, b in near)
        if km > REFERENCE_KM:
            far.append(f"{row['name']} ({row['province']}): {km:.0f} km")
    assert compared > 0
    assert not far, far
