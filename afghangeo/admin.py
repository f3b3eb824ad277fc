"""Afghanistan's 34 provinces and 398 districts: names, codes, aliases, one admin index.

Province and district polygons come from geoBoundaries' ADM2 layer (ESOC/AGCHO 398
districts); provinces are those districts dissolved by province, so a point's
province and district always agree. Canonical province names are the ``name``
column of ``data/provinces.geojson``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from afghangeo import _data, _districtnames
from afghangeo.errors import (
    AfghangeoError,
    AmbiguousPlaceError,
    InvalidInputError,
    UnknownPlaceError,
)
from afghangeo.names import MAX_NAME_CHARS, fold_name, name_key

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "AdminIndex",
    "admin_index",
    "districts",
    "normalize_district",
    "normalize_province",
    "normalize_provinces",
    "provinces",
]

#: Longer names get no did-you-mean suggestions.
SUGGEST_MAX_CHARS = 80
_CODE = re.compile(r"^\s*AF(?:[-_ .]?)([A-Z]{3}|\d{2})\s*$", re.IGNORECASE)


def provinces() -> gpd.GeoDataFrame:
    """The 34 provinces of Afghanistan, one row each, sorted by name (EPSG:4326).

    Columns: ``name`` (canonical spelling), ``iso_3166_2``, ``pcode`` (OCHA/AGCHO),
    ``name_fa`` (Dari), ``n_districts``, ``area_km2``, ``adm1_source_id``, ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        A fresh copy; changing it does not change what later calls return.

    Examples
    --------
    >>> p = ag.provinces()
    >>> len(p), p.crs.to_epsg()
    (34, 4326)
    >>> p.set_index("name").loc["Helmand", "iso_3166_2"]
    'AF-HEL'
    """
    return _data.read_layer("provinces").copy()


def districts() -> gpd.GeoDataFrame:
    """The 398 districts of Afghanistan with their province (EPSG:4326).

    Columns: ``name`` (canonical spelling), ``province``, ``iso_3166_2``, ``code``,
    ``area_km2``, ``aliases`` (``|``-separated other spellings), ``province_method``,
    ``source_name``, ``source_objectid``, ``source_id``, ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        A fresh copy, sorted by province and name.

    Examples
    --------
    >>> d = ag.districts()
    >>> len(d), d["province"].nunique()
    (398, 34)
    """
    return _data.read_layer("districts").copy()


@functools.cache
def _province_table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name key -> canonical, ISO/P-code suffix -> canonical, folded alias -> canonical)."""
    layer = _data.read_layer("provinces")
    by_key: dict[str, str] = {}
    by_code: dict[str, str] = {}
    folded: dict[str, str] = {}
    aliases = [(r["province"], r["alias"]) for r in _data.read_csv_rows("province_aliases.csv")]
    for rec in layer.itertuples():
        by_code[rec.iso_3166_2.split("-")[1]] = rec.name
        by_code[rec.pcode[2:]] = rec.name
        aliases += [(rec.name, rec.name), (rec.name, rec.name_fa)]
    for canonical, alias in aliases:
        key = name_key(alias)
        if by_key.setdefault(key, canonical) != canonical:  # pragma: no cover - data error
            msg = f"Province alias {alias!r} is claimed by {by_key[key]} and {canonical}."
            raise AssertionError(msg)
        folded[fold_name(alias)] = canonical
    return by_key, by_code, folded


def _suggest(name: str, choices: dict[str, str], limit: int = 3) -> list[str]:
    """Canonical names whose spellings are closest to `name` (rapidfuzz).

    Names longer than any place name get no suggestion: comparing them would take
    time that grows with their length for nothing.
    """
    from rapidfuzz import fuzz, process

    if len(name) > SUGGEST_MAX_CHARS:
        return []
    hits = process.extract(fold_name(name), list(choices), scorer=fuzz.WRatio, limit=limit * 4)
    best = hits[0][1] if hits else 0.0
    out: list[str] = []
    for alias, score, _ in hits:
        # only names about as close as the best one, so that a clear answer stands alone
        if score >= max(60.0, best - 5.0) and choices[alias] not in out:
            out.append(choices[alias])
    return out[:limit]


def _lookup_province(name: object) -> str | None:
    if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
        return None
    by_key, by_code, _ = _province_table()
    code = _CODE.match(name)
    if code:
        return by_code.get(code.group(1).upper())
    key = name_key(name)
    return by_key.get(key) if key else None


def normalize_province(name: str) -> str:
    """Canonical spelling of a province name, code or Dari/Pashto name.

    Parameters
    ----------
    name : str
        Any common spelling (Hilmand, Urozgan, Sar-i-Pul, Maidan Wardak, Kunarha ...),
        with or without "Province"/"Wilayat", in any case; an ISO 3166-2 code
        (``AF-HEL``) or OCHA P-code (``AF30``); or Dari/Pashto script (هلمند).

    Returns
    -------
    str
        The canonical name, as in the ``name`` column of :func:`provinces`.

    Raises
    ------
    UnknownPlaceError
        If `name` is no province; its ``suggestions`` lists the closest ones.
    InvalidInputError
        If `name` is not a str.

    Examples
    --------
    >>> ag.normalize_province("Hilmand Province")
    'Helmand'
    >>> ag.normalize_province("AF-URU"), ag.normalize_province("بادغیس")
    ('Uruzgan', 'Badghis')
    >>> ag.normalize_province("Helmandshire")
    Traceback (most recent call last):
    ...
    afghangeo.errors.UnknownPlaceError: Unknown province 'Helmandshire'. Did you mean 'Helmand'?
    """
    if not isinstance(name, str):
        msg = f"A province name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    found = _lookup_province(name)
    if found is None:
        shown = name if len(name) <= MAX_NAME_CHARS else name[:60] + "…"
        raise UnknownPlaceError(shown, _suggest(name, _province_table()[2]), kind="province")
    return found


def normalize_provinces(names: Iterable[object]) -> pd.DataFrame:
    """Normalize many province names; never raises for a bad name.

    Parameters
    ----------
    names : iterable
        Province names in any spelling; ``None``, NaN and non-strings are allowed.

    Returns
    -------
    pandas.DataFrame
        One row per input, in order: ``input``, ``province`` (canonical or None),
        ``status`` (``matched``, ``not_found``, ``invalid``) and ``suggestion``.

    Examples
    --------
    >>> ag.normalize_provinces(["Hilmand", "Atlantis", None])["status"].tolist()
    ['matched', 'not_found', 'invalid']
    """
    values = list(names.tolist() if isinstance(names, (pd.Series, pd.Index)) else names)
    found: dict[object, tuple[str | None, str, str | None]] = {}
    rows = []
    for value in values:
        hashable = value if isinstance(value, str) else id(value)
        if hashable not in found:
            if not isinstance(value, str) or not fold_name(value[: MAX_NAME_CHARS + 1]):
                found[hashable] = (None, "invalid", None)
            elif (hit := _lookup_province(value)) is not None:
                found[hashable] = (hit, "matched", None)
            else:
                near = _suggest(value, _province_table()[2], limit=1)
                found[hashable] = (None, "not_found", near[0] if near else None)
        rows.append((value, *found[hashable]))
    out = pd.DataFrame(rows, columns=["input", "province", "status", "suggestion"], dtype=object)
    return out.astype({"status": "str"})


def normalize_district(name: str, *, province: str | None = None) -> str:
    """Canonical spelling of a district name, scoped by province where needed.

    Parameters
    ----------
    name : str
        A district name in any common spelling ("Nawa", "Nad-e Ali", "Lashkargah").
    province : str, optional
        The district's province in any spelling; required when the name exists in
        several provinces (Nawa: Helmand and Ghazni; Qarabagh: Kabul and Ghazni).

    Returns
    -------
    str
        The canonical name, as in the ``name`` column of :func:`districts`.

    Raises
    ------
    UnknownPlaceError
        If no district (of `province`) has that name, or `province` is unknown.
    AmbiguousPlaceError
        If the name exists in several provinces and `province` is not given.

    Examples
    --------
    >>> ag.normalize_district("Nawa", province="Hilmand")
    'Nawa-i-Barakzayi'
    >>> ag.normalize_district("Nawa", province="Ghazni")
    'Nawa'
    >>> ag.normalize_district("Nad-e Ali")
    'Nad Ali'
    """
    if not isinstance(name, str):
        msg = f"A district name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    scope = normalize_province(province) if province is not None else None
    if len(name) > MAX_NAME_CHARS:
        raise UnknownPlaceError(name[:60] + "…", [], kind="district")
    by_key, folded = _districtnames.spellings()
    found = _districtnames.lookup(name, scope)
    if len(found) == 1:
        return found[0][1]
    if len(found) > 1:
        raise AmbiguousPlaceError(name, [f"{d} ({p})" for p, d in found], kind="district")
    if scope is not None:
        # the spellings of this province's districts only (Dushi of Baghlan shares a
        # name key with Helmand's Dishu)
        choices = {h[2]: h[1] for hits in by_key.values() for h in hits if h[0] == scope}
    else:
        choices = folded
    raise UnknownPlaceError(name, _suggest(name, choices), kind="district")


@dataclass(frozen=True, eq=False)
class AdminIndex:
    """The provinces and districts as codes: the one table every module shares.

    Province codes index :attr:`provinces` (canonical names, in layer order); a
    district *row* indexes the districts layer (a name may repeat across provinces:
    Nawa), and :attr:`district_names` holds the distinct district names used as
    categories. Names are normalized once, here, and passed on as codes.

    Examples
    --------
    >>> from afghangeo.admin import admin_index
    >>> index = admin_index()
    >>> index.province_codes(["Hilmand", "AF-KAB", "Atlantis"]).tolist()[2]
    -1
    >>> row = index.district_row("Nawa", province=index.province_code("Helmand"))
    >>> str(index.district_names[index.district_name[row]])
    'Nawa-i-Barakzayi'
    """

    provinces: pd.Index
    iso: np.ndarray
    district_names: pd.Index
    district_province: np.ndarray  # district row -> province code
    district_name: np.ndarray  # district row -> code into district_names
    district_iso: np.ndarray
    province_xy: np.ndarray  # (34, 2) representative points, inside each polygon
    district_xy: np.ndarray  # (398, 2)

    @property
    def n_provinces(self) -> int:
        """The number of provinces (34); also the code of the ``unlocated`` row."""
        return len(self.provinces)

    def codes(self, values: Any, names: pd.Index) -> np.ndarray:
        """Codes of already-canonical `values` in `names` (-1 for anything else)."""
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        if isinstance(series.dtype, pd.CategoricalDtype):
            mapping = np.r_[names.get_indexer(series.cat.categories), -1]
            out: np.ndarray = mapping[series.cat.codes.to_numpy()].astype(np.int32)
            return out
        return names.get_indexer(pd.Index(series.astype(object))).astype(np.int32)

    def province_code(self, name: object) -> int:
        """Code of a province in any spelling; -1 when it is none."""
        found = _lookup_province(name)
        return int(self.provinces.get_indexer(pd.Index([found]))[0]) if found is not None else -1

    def province_codes(self, values: Iterable[object]) -> np.ndarray:
        """Codes of province names in any spelling, each distinct value normalized once."""
        codes, uniques = pd.factorize(pd.Series(list(values), dtype=object))
        lookup = np.array([self.province_code(u) for u in uniques] + [-1], np.int32)
        out: np.ndarray = lookup[codes]
        return out

    def district_rows(self, provinces: np.ndarray, names: np.ndarray) -> np.ndarray:
        """Layer rows of (province code, district-name code) pairs; -1 where none."""
        lookup = np.full((self.n_provinces, len(self.district_names)), -1, np.int32)
        lookup[self.district_province, self.district_name] = np.arange(len(self.district_name))
        ok = (provinces >= 0) & (names >= 0)
        out = np.full(len(provinces), -1, np.int32)
        out[ok] = lookup[provinces[ok], names[ok]]
        return out

    def district_row(self, name: object, *, province: int = -1) -> int:
        """Row of a district named in any spelling (-1 if unknown or ambiguous).

        With a `province`, a spelling that is no known one but clearly closest to one
        of that province's districts (:func:`afghangeo._districtnames.near_miss`) also
        finds it: a district column that states its province is matched only against
        that province's 10-30 districts.
        """
        return _district_row(name, province)


@functools.cache
def admin_index() -> AdminIndex:
    """The shared :class:`AdminIndex` (built once)."""
    prov = _data.read_layer("provinces")
    dist = _data.read_layer("districts")
    pnames = pd.Index(prov["name"])
    dnames = pd.Index(sorted(dist["name"].unique()))
    pts = prov.geometry.representative_point()
    dpts = dist.geometry.representative_point()
    return AdminIndex(
        provinces=pnames,
        iso=prov["iso_3166_2"].to_numpy(object),
        district_names=dnames,
        district_province=pnames.get_indexer(dist["province"]).astype(np.int32),
        district_name=dnames.get_indexer(dist["name"]).astype(np.int32),
        district_iso=dist["iso_3166_2"].to_numpy(object),
        province_xy=np.c_[pts.x.to_numpy(), pts.y.to_numpy()],
        district_xy=np.c_[dpts.x.to_numpy(), dpts.y.to_numpy()],
    )


@functools.cache
def _district_row(name: object, province: int) -> int:
    if not isinstance(name, str):
        return -1
    index = admin_index()
    scope = str(index.provinces[province]) if province >= 0 else None
    try:
        canonical = normalize_district(name, province=scope)
    except AfghangeoError:
        # with its province, a near miss of one of its districts (Nahre Sirraj); also
        # where a name key is shared (Urghistan: Arghistan or Registan), the closest
        near = _districtnames.near_miss(name, scope) if scope is not None else None
        if near is None:
            return -1
        canonical = near
    layer = _data.read_layer("districts")
    hits = np.flatnonzero(
        (layer["name"].to_numpy() == canonical)
        & ((layer["province"].to_numpy() == scope) if scope else True)
    )
    return int(hits[0]) if len(hits) == 1 else -1
