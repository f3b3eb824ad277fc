"""Placing incident rows, in phases over one small record of working arrays.

:func:`afghangeo.incidents.read_incidents` runs the phases in order; each one places
only rows that are still unplaced:

1. :func:`by_coordinates` — usable coordinates, located in one vectorized call;
2. :func:`by_names` — the place name, geocoded with the stated province/district as
   hints (each distinct triple once);
3. :func:`by_admin_columns` — the stated district, then the stated province.

Codes throughout are those of :class:`afghangeo.admin.AdminIndex`: provinces and
district names as integers, normalized once.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from afghangeo import _districtnames
from afghangeo._columns import precision_codes
from afghangeo._vocab import PLACEMENT_STATUSES, Level
from afghangeo.admin import AdminIndex, admin_index, normalize_district
from afghangeo.errors import AmbiguousPlaceError, UnknownPlaceError
from afghangeo.locate import locate

__all__ = [
    "Placement",
    "Stated",
    "by_admin_columns",
    "by_coordinates",
    "by_names",
    "strings",
]

LOCATED, GEOCODED, PROVINCE_ONLY, UNLOCATED, INVALID = (
    PLACEMENT_STATUSES.index(s)
    for s in ("located", "geocoded", "province_only", "unlocated", "invalid")
)
_NONE = np.array(None, dtype=object)
_GEO_COLUMNS = ("name", "province", "district", "lat", "lon", "precision", "score", "status")
_LOCATE_ISSUES = {"outside": "coordinates outside Afghanistan", "swapped?": "lat/lon look swapped"}


def strings(values: pd.Series) -> np.ndarray:
    """Stripped strings as an object array; None for anything empty or not a str."""
    out = values.astype(object).to_numpy()
    text = np.array([v.strip() if isinstance(v, str) else "" for v in out], dtype=object)
    text[text == ""] = None
    return text


@dataclass
class Placement:
    """The working arrays of one table: where each row is, how precisely, and why not."""

    n: int
    prov: np.ndarray = field(init=False)  # province code, -1 none
    dist: np.ndarray = field(init=False)  # code into AdminIndex.district_names, -1 none
    prec: np.ndarray = field(init=False)  # Level
    score: np.ndarray = field(init=False)
    status: np.ndarray = field(init=False)  # index into PLACEMENT_STATUSES
    issue: np.ndarray = field(init=False)
    x: np.ndarray = field(init=False)
    y: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = self.n
        self.prov = np.full(n, -1, np.int32)
        self.dist = np.full(n, -1, np.int32)
        self.prec = np.full(n, Level.NONE, np.int8)
        self.score = np.full(n, np.nan)
        self.status = np.full(n, UNLOCATED, np.int8)
        self.issue = np.full(n, None, dtype=object)
        self.x, self.y = np.full(n, np.nan), np.full(n, np.nan)

    def unplaced(self) -> np.ndarray:
        """Rows not placed yet."""
        return np.flatnonzero(self.status == UNLOCATED)

    def place_in_areas(self, rows: np.ndarray, *, prov: np.ndarray, drow: np.ndarray) -> None:
        """Place `rows` in a district (its layer row) or, where ``drow < 0``, a province."""
        index = admin_index()
        in_district = drow >= 0
        self.prov[rows] = prov
        self.dist[rows] = np.where(in_district, index.district_name[np.maximum(drow, 0)], -1)
        xy = np.where(
            in_district[:, None],
            index.district_xy[np.maximum(drow, 0)],
            index.province_xy[np.maximum(prov, 0)],
        )
        self.x[rows], self.y[rows] = xy[:, 0], xy[:, 1]
        self.prec[rows] = np.where(in_district, Level.DISTRICT, Level.PROVINCE)
        self.score[rows] = 1.0
        self.status[rows] = np.where(in_district, GEOCODED, PROVINCE_ONLY)

    def add_issue(self, rows: np.ndarray, texts: list[str]) -> None:
        """Append `texts` to the issues of `rows` ("; "-separated)."""
        for row, text in zip(rows, texts, strict=True):
            old = self.issue[row]
            self.issue[row] = text if old is None else f"{old}; {text}"


@dataclass(frozen=True)
class Stated:
    """What the table states besides coordinates, as codes and as written."""

    prov: np.ndarray  # province code (-1 unknown), filled from a known district
    drow: np.ndarray  # district layer row (-1 unknown or ambiguous)
    ptext: np.ndarray
    dtext: np.ndarray
    place: np.ndarray
    src: np.ndarray  # the source's precision Level (0 when not given)
    src_unlocated: np.ndarray  # the source says only a region or the country is known
    dvia: np.ndarray  # the stated district was found through a place named so

    @classmethod
    def read(cls, frame: pd.DataFrame, roles: dict[str, Hashable]) -> Stated:
        """Read the stated columns of `frame` (normalizing each distinct name once)."""
        index = admin_index()
        n = len(frame)

        def column(role: str) -> np.ndarray:
            return strings(frame[roles[role]]) if role in roles else np.full(n, None)

        ptext, dtext = column("province"), column("district")
        pcode = index.province_codes(ptext)
        drow = np.full(n, -1, np.int32)
        some = np.flatnonzero(dtext != None)  # noqa: E711
        codes, pairs = factorize_tuples(dtext[some], pcode[some])
        found = [index.district_row(name, province=int(p)) for name, p in pairs]
        # a district created after the layer (Marja), or named by its centre: where it is
        placed = [
            _district_of_place(name, int(p)) if f < 0 and p >= 0 else -1
            for (name, p), f in zip(pairs, found, strict=True)
        ]
        via = [f < 0 <= d for f, d in zip(found, placed, strict=True)]
        found = [d if v else f for f, d, v in zip(found, placed, via, strict=True)]
        drow[some] = np.array(found, np.int32)[codes]
        dvia = np.zeros(n, bool)
        dvia[some] = np.array(via, bool)[codes]
        fill = (drow >= 0) & (pcode < 0)
        pcode[fill] = index.district_province[drow[fill]]
        if "precision" in roles:
            src, src_unlocated = precision_codes(frame[roles["precision"]], roles["precision"])
        else:
            src, src_unlocated = np.zeros(n, np.int8), np.zeros(n, bool)
        return cls(pcode, drow, ptext, dtext, column("place"), src, src_unlocated, dvia)


def _district_of_place(name: str, prov: int) -> int:
    """Layer row of the district holding a district-level place or town so named; or -1.

    A district column may name a district created after the boundaries were drawn
    (Marja, in Nad Ali) or a district by its centre town.
    """
    from afghangeo.geocoder import geocode

    index = admin_index()
    kinds = ("new_district", "capital", "town")
    place = geocode(name, province=str(index.provinces[prov]), kinds=kinds)
    if place is None or place.status != "matched" or place.district is None:
        return -1
    return index.district_row(place.district, province=prov)


def factorize_tuples(*arrays: np.ndarray) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """(code of each row, distinct tuples in order of appearance)."""
    keys = np.empty(len(arrays[0]), dtype=object)
    keys[:] = list(zip(*arrays, strict=True))
    codes, uniques = pd.factorize(keys)
    return codes, list(uniques)


def by_coordinates(
    work: Placement, stated: Stated, x: np.ndarray, y: np.ndarray, given: np.ndarray
) -> None:
    """Phase 1: rows with usable coordinates, and the issues of those without."""
    index = admin_index()
    bad = given & (np.isnan(x) | np.isnan(y))
    usable = np.flatnonzero(given & ~bad & ~stated.src_unlocated)
    where = locate(lon=x[usable], lat=y[usable])
    ok = where["status"].cat.codes.to_numpy() == 0
    hit = usable[ok]
    work.prov[hit] = index.codes(where["province"], index.provinces)[ok]
    work.dist[hit] = index.codes(where["district"], index.district_names)[ok]
    src = stated.src[hit]
    work.prec[hit] = np.where(src > Level.NONE, src, Level.PLACE)
    coarse = hit[work.prec[hit] == Level.PROVINCE]
    work.dist[coarse] = -1
    work.x[hit], work.y[hit], work.score[hit] = x[hit], y[hit], 1.0
    work.status[hit] = np.where(work.prec[hit] == Level.PROVINCE, PROVINCE_ONLY, LOCATED)
    _disagreements(work, stated, hit, index)
    problems = where["status"][~ok].astype(object).map(_LOCATE_ISSUES)
    work.issue[usable[~ok]] = problems.fillna("coordinates are not valid").to_numpy(object)
    work.issue[bad] = "coordinates are incomplete or not numbers"
    work.issue[given & stated.src_unlocated] = (
        "source precision: only a region or the country is known"
    )


def _disagreements(work: Placement, stated: Stated, hit: np.ndarray, index: AdminIndex) -> None:
    """Say where stated provinces/districts disagree with the coordinates."""
    names = index.provinces
    differs = hit[(stated.prov[hit] >= 0) & (stated.prov[hit] != work.prov[hit])]
    work.issue[differs] = [
        f"stated province {names[s]} but coordinates fall in {names[p]}"
        for s, p in zip(stated.prov[differs], work.prov[differs], strict=True)
    ]
    same = hit[
        (stated.drow[hit] >= 0)
        & (work.prec[hit] == Level.PLACE)
        & (stated.prov[hit] == work.prov[hit])
    ]
    same = same[index.district_name[stated.drow[same]] != work.dist[same]]
    dnames = index.district_names
    work.issue[same] = [
        f"stated district {dnames[index.district_name[s]]} but coordinates fall in {dnames[d]}"
        for s, d in zip(stated.drow[same], work.dist[same], strict=True)
    ]


def by_names(
    work: Placement, stated: Stated, *, progress: bool | None, fallback: Any = None
) -> None:
    """Phase 2: geocode the place names of unplaced rows, with the stated hints."""
    from afghangeo.batch import geocode_many

    index = admin_index()
    todo = work.unplaced()
    named = todo[stated.place[todo] != None]  # noqa: E711
    if not len(named):
        return
    hint_p: np.ndarray = np.r_[index.provinces.to_numpy(object), None][stated.prov[named]]
    hint_d = _district_hints(stated.drow[named])
    codes, uniques = factorize_tuples(stated.place[named], hint_p, hint_d)
    if progress is None:
        progress = _auto_progress(len(uniques))
    names, hp, hd = ([u[i] for u in uniques] for i in range(3))
    table = geocode_many(names, provinces=hp, districts=hd, progress=progress, fallback=fallback)
    geo = table.reindex(columns=list(_GEO_COLUMNS)).iloc[codes].reset_index(drop=True)
    found = (geo["status"] == "matched").to_numpy(bool, copy=True)
    own = geo["precision"].map(Level.from_word).fillna(Level.NONE).to_numpy(np.int8)
    level = np.maximum(own, stated.src[named])
    # "Sangin district" is the district, though its name is also the town's
    level[_districtnames.says_district(stated.place[named]) & (level < Level.DISTRICT)] = (
        Level.DISTRICT
    )
    # a name that is the province itself (Balkh, Balkh) says less than the stated district
    has_d = hint_d != None  # noqa: E711
    broad = found & (own == Level.PROVINCE) & (stated.src[named] < Level.PROVINCE) & has_d
    found &= ~broad
    _write_geocoded(work, named[found], geo[found].reset_index(drop=True), level[found])
    miss = ~found & ~broad
    work.add_issue(
        named[miss],
        [
            _not_placed(name, status, district or hint)
            for name, status, hint, district in zip(
                stated.place[named][miss],
                geo["status"][miss],
                hint_p[miss],
                hint_d[miss],
                strict=True,
            )
        ],
    )
    work.add_issue(
        named[broad],
        [f"place {n!r} is known only as the province" for n in stated.place[named][broad]],
    )
    _found_elsewhere(work, stated, named[miss & has_d])


def _write_geocoded(work: Placement, sel: np.ndarray, geo: pd.DataFrame, lv: np.ndarray) -> None:
    """Place rows `sel` where geocoding put them (`geo`), at the levels `lv`."""
    index = admin_index()
    work.prov[sel] = index.codes(geo["province"], index.provinces)
    dist = index.codes(geo["district"], index.district_names)
    work.dist[sel] = np.where(lv < Level.PROVINCE, dist, -1)
    work.prec[sel] = lv
    work.score[sel] = geo["score"].to_numpy(float)
    work.x[sel] = geo["lon"].to_numpy(float)
    work.y[sel] = geo["lat"].to_numpy(float)
    coarse = sel[lv == Level.PROVINCE]
    work.x[coarse] = index.province_xy[work.prov[coarse], 0]
    work.y[coarse] = index.province_xy[work.prov[coarse], 1]
    # a place answered at a district's precision stands at the district's point
    area = (lv == Level.DISTRICT) & (geo["precision"] == "place").to_numpy(bool)
    rows = index.district_rows(work.prov[sel[area]], work.dist[sel[area]])
    known = rows >= 0
    work.x[sel[area][known]] = index.district_xy[rows[known], 0]
    work.y[sel[area][known]] = index.district_xy[rows[known], 1]
    work.status[sel] = np.where(lv == Level.PROVINCE, PROVINCE_ONLY, GEOCODED)


def _district_hints(drow: np.ndarray) -> np.ndarray:
    """The canonical names of stated districts (None where unknown), as geocoding hints."""
    index = admin_index()
    names = index.district_names.to_numpy(object)[index.district_name[np.maximum(drow, 0)]]
    out: np.ndarray = np.where(drow >= 0, names, _NONE)
    return out


def _found_elsewhere(work: Placement, stated: Stated, rows: np.ndarray) -> None:
    """Say where a name not found in its stated district lies in its province instead.

    The row keeps its stated district (phase 3 places it there): a table's district
    column is more often right than a homonym elsewhere in the province.
    """
    from afghangeo.batch import geocode_many

    if not len(rows):
        return
    index = admin_index()
    hint_p: np.ndarray = np.r_[index.provinces.to_numpy(object), None][stated.prov[rows]]
    codes, uniques = factorize_tuples(stated.place[rows], hint_p)
    table = geocode_many([u[0] for u in uniques], provinces=[u[1] for u in uniques])
    geo = table.iloc[codes].reset_index(drop=True)
    stated_d = _district_hints(stated.drow[rows])
    other = ((geo["status"] == "matched") & (geo["precision"] == "place")).to_numpy(bool)
    other = other & (geo["district"].to_numpy(object) != stated_d)
    work.add_issue(
        rows[other],
        [
            f"a place {n!r} lies in {d} district; kept in the stated district"
            for n, d in zip(stated.place[rows][other], geo["district"][other], strict=True)
        ],
    )


def _not_placed(name: str, status: object, hint: object) -> str:
    if status == "ambiguous":
        return f"place {name!r} is ambiguous; give its province"
    if status == "uncertain":
        return f"place {name!r} is uncertain; check it or give its province"
    return f"place {name!r} not found" + (f" in {hint}" if hint else "")


def by_admin_columns(work: Placement, stated: Stated) -> None:
    """Phase 3: unplaced rows go to their stated district, else their stated province."""
    index = admin_index()
    todo = work.unplaced()
    todo = todo[(stated.prov[todo] >= 0) | (stated.drow[todo] >= 0)]
    drow = np.where(stated.src[todo] == Level.PROVINCE, -1, stated.drow[todo])
    work.place_in_areas(todo, prov=stated.prov[todo], drow=drow)
    unknown = np.flatnonzero((stated.ptext != None) & (stated.prov < 0))  # noqa: E711
    work.add_issue(unknown, [f"unknown province {t!r}" for t in stated.ptext[unknown]])
    via = np.flatnonzero(stated.dvia)
    work.add_issue(
        via,
        [
            f"stated district {t!r} read as {index.district_names[index.district_name[r]]}"
            for t, r in zip(stated.dtext[via], stated.drow[via], strict=True)
        ],
    )
    unknown = np.flatnonzero((stated.dtext != None) & (stated.drow < 0))  # noqa: E711
    codes, uniques = factorize_tuples(stated.dtext[unknown], stated.prov[unknown])
    texts = [_unknown_district(name, int(prov)) for name, prov in uniques]
    work.add_issue(unknown, [texts[c] for c in codes])


def _unknown_district(name: str, prov: int) -> str:
    """Why a stated district was not used: unknown, ambiguous, or of another province."""
    index = admin_index()
    if prov < 0:
        return f"district {name!r} is unknown or in several provinces; give its province"
    elsewhere = index.district_row(name)
    province = str(index.provinces[prov])
    if elsewhere >= 0 and index.district_province[elsewhere] != prov:
        actual = index.provinces[index.district_province[elsewhere]]
        return f"district {name!r} is in {actual}, not {province}"
    try:
        normalize_district(name, province=province)
    except AmbiguousPlaceError as err:
        listed = ", ".join(map(str, err.candidates))
        return f"district {name!r} is several districts of {province}: {listed}"
    except UnknownPlaceError as err:
        near = f" (did you mean {' or '.join(err.suggestions)}?)" if err.suggestions else ""
        return f"unknown district {name!r} in {province}{near}"
    return f"unknown district {name!r} in {province}"  # pragma: no cover - found above


def _auto_progress(n: int, threshold: int = 2000) -> bool:
    import sys

    if n <= threshold:
        return False
    return "ipykernel" in sys.modules or bool(getattr(sys.stderr, "isatty", lambda: False)())
