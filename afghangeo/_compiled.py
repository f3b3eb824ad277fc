"""Compiled user gazetteers: writing rows to store, reading them back, merging.

A compiled file holds afghangeo's gazetteer columns. A row whose ``id`` is that of a
bundled entry is a *merge*: its spellings are added to that entry (a user's district
row, or a repeat of a bundled town) instead of making a second place.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from afghangeo._geo import great_circle_km
from afghangeo._vocab import AREA_KINDS
from afghangeo.errors import GazetteerWarning
from afghangeo.gazetteer import COLUMNS, Gazetteer
from afghangeo.names import name_key

__all__ = ["HEADER", "MERGE_KM", "combine", "compile_rows", "merges", "read_compiled"]

#: A user row this close (km) to a bundled place of the same name key merges with it.
MERGE_KM = 5.0
HEADER = ",".join(COLUMNS)


@functools.cache
def _bundled_ids() -> frozenset[str]:
    return frozenset(Gazetteer.bundled().entries["id"])


def merges(table: pd.DataFrame) -> np.ndarray:
    """Which rows of a compiled table add spellings to a bundled entry."""
    return table["id"].isin(_bundled_ids()).to_numpy(bool)


def read_compiled(path: Path, *, warn: bool = True) -> pd.DataFrame | None:
    """A compiled gazetteer, or None (vanished, or not one of ours: warned)."""
    try:
        with path.open(encoding="utf-8") as fh:
            header = fh.readline().strip()
            if header != HEADER:
                if warn:
                    msg = f"Ignoring {path.name} in {path.parent}: not a compiled gazetteer."
                    warnings.warn(msg, GazetteerWarning, stacklevel=4)
                return None
            fh.seek(0)
            table: pd.DataFrame = pd.read_csv(
                fh, dtype={"source_id": str, "district": object, "id": str}
            )
    except FileNotFoundError:  # removed by another process meanwhile
        return None
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        if warn:
            warnings.warn(f"Ignoring {path.name}: {err}", GazetteerWarning, stacklevel=4)
        return None
    ok = table["name"].map(lambda v: isinstance(v, str) and bool(v.strip()))
    ok &= np.isfinite(pd.to_numeric(table["lat"], errors="coerce"))
    ok &= np.isfinite(pd.to_numeric(table["lon"], errors="coerce"))
    out: pd.DataFrame = table[ok.to_numpy(bool)]
    return out


def combine(tables: list[pd.DataFrame]) -> Gazetteer:
    """The bundle with the user tables: merge rows add spellings, the rest are entries."""
    bundled = Gazetteer.bundled()
    if not tables:
        return bundled
    entries = bundled.entries.copy()
    position = pd.Series(np.arange(len(entries)), index=entries["id"])
    names = entries["names"].tolist()
    new = []
    for table in tables:
        merge = table["id"].isin(position.index).to_numpy(bool)
        for ident, name, others in table.loc[merge, ["id", "name", "names"]].itertuples(False):
            i = int(position[ident])
            extra = "|".join(x for x in (name, others) if isinstance(x, str) and x)
            names[i] = f"{names[i]}|{extra}" if names[i] else extra
        new.append(table[~merge])
    entries["names"] = names
    return Gazetteer(pd.concat([entries, *new], ignore_index=True))


def compile_rows(table: pd.DataFrame, source: str) -> tuple[pd.DataFrame, int, int]:
    """Rows to store, merges carrying the bundled entry's id; (table, merged, dropped)."""
    bundled = Gazetteer.bundled().entries
    table = table.copy()
    table["id"] = "U-" + table["source_id"].astype(str)
    area = table["kind"].isin(AREA_KINDS).to_numpy(bool)
    target = np.full(len(table), None, dtype=object)
    columns = ["name", "kind", "province", "district"]
    target[area] = [
        boundary_id(bundled, *row) for row in table.loc[area, columns].itertuples(False)
    ]
    places = bundled[~bundled["kind"].isin(AREA_KINDS)]
    by_key: dict[str, list[int]] = {}
    for i, (name, others) in enumerate(zip(places["name"], places["names"], strict=True)):
        for spelling in {name, *str(others).split("|")} - {"", "nan"}:
            by_key.setdefault(name_key(spelling), []).append(i)
    lat, lon = places["lat"].to_numpy(float), places["lon"].to_numpy(float)
    ids = places["id"].to_numpy(object)
    rows = zip(table["name"].tolist(), table["lat"].tolist(), table["lon"].tolist(), strict=True)
    for row, (name, y, x) in enumerate(rows):
        near = by_key.get(name_key(str(name)), []) if not area[row] else []
        if near:
            d = great_circle_km(lat[near], lon[near], float(y), float(x))
            if d.min() <= MERGE_KM:
                target[row] = ids[near[int(d.argmin())]]
    merged = target != None  # noqa: E711
    keep = ~area | merged  # an admin row that names no boundary unit is left out
    table.loc[merged, "id"] = target[merged]
    table["source"] = table["source"].fillna(source)
    dropped = int((~keep).sum())
    return table[keep].reset_index(drop=True), int(merged.sum()), dropped


def boundary_id(
    bundled: pd.DataFrame, name: str, kind: str, province: str, district: str
) -> str | None:
    """The bundled province or district entry a user's admin row names, if any.

    The unit must contain the row's point, or (for a district whose point is a little
    off) lie in the same province, and be spelled with the same name key.
    """
    key = name_key(name)
    level = "province" if kind == "province" else "district"
    units = bundled[(bundled["kind"] == level) & (bundled["province"] == province)]
    if level == "district":
        units = units.iloc[np.argsort(~(units["name"] == district).to_numpy(), kind="stable")]
    for ident, canonical, others in units[["id", "name", "names"]].itertuples(False):
        spellings = {canonical, *str(others).split("|")} - {"", "nan"}
        if key in {name_key(s) for s in spellings}:
            return str(ident)
    return None
