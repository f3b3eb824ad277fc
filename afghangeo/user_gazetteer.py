"""User gazetteers: a GeoNames dump or a CSV of places, compiled once, used from then on.

The bundle has provinces, districts and GeoNames towns, not every village. A user
adds more with :func:`load_gazetteer`; the compiled index is written to the user's data
folder (``platformdirs.user_data_dir("afghangeo")``, or ``$AFGHANGEO_DATA_DIR``) and every
later :func:`~afghangeo.geocode` uses it together with the bundle. Provinces and
districts of added places come from their coordinates (:func:`~afghangeo.locate`);
places outside Afghanistan are left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pandas as pd

from afghangeo.errors import DataError, InvalidInputError
from afghangeo.gazetteer import COLUMNS, Gazetteer
from afghangeo.locate import locate

__all__ = ["active", "built", "data_dir", "load_gazetteer", "user_gazetteers"]

# The 19 columns of a GeoNames country dump (AF.txt), in order.
GEONAMES_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
]  # fmt: skip
_KIND_BY_CODE = {"PPLA": "capital", "PPLC": "capital", "PPLA2": "town", "PPL": "village"}
_active: dict[str, tuple[int, Gazetteer]] = {}
_builds = [0]
_DIGEST = 12  # hex digits of the source file's hash in a compiled file's name


def data_dir() -> Path:
    """Folder for compiled user gazetteers (``$AFGHANGEO_DATA_DIR`` overrides)."""
    override = os.environ.get("AFGHANGEO_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("afghangeo", appauthor=False))


def user_gazetteers() -> list[Path]:
    """The compiled user gazetteers in :func:`data_dir`, oldest first."""
    folder = data_dir() / "gazetteers"
    return sorted(folder.glob("*.csv"), key=lambda p: (p.stat().st_mtime, p.name))


def source_name(path: Path) -> str:
    """The added file's name without suffix ('AF') of a compiled 'AF-0123456789ab.csv'.

    Examples
    --------
    >>> source_name(Path("AF-0123456789ab.csv")), source_name(Path("notes.csv"))
    ('AF', 'notes')
    """
    stem, _, digest = path.stem.rpartition("-")
    return stem if stem and len(digest) == _DIGEST else path.stem


def active() -> tuple[int, Gazetteer]:
    """(build number, gazetteer) that geocoding uses: the bundle plus user gazetteers.

    The build number changes whenever the set of user gazetteers changes, so that
    callers can key caches on it.
    """
    files = user_gazetteers()
    signature = "|".join(f"{p}:{p.stat().st_mtime_ns}" for p in files)
    if signature not in _active:
        gaz = Gazetteer.bundled()
        for path in files:
            gaz = gaz.extend(pd.read_csv(path, dtype={"source_id": str, "district": object}))
        _builds[0] += 1
        _active.clear()
        _active[signature] = (_builds[0], gaz)
    return _active[signature]


def built(build: int) -> Gazetteer:
    """The gazetteer of build number `build` from :func:`active`, without touching disk."""
    for number, gaz in _active.values():
        if number == build:
            return gaz
    return active()[1]  # the user gazetteers changed since: take the new build


def _read_geonames(raw: bytes) -> pd.DataFrame:
    table = pd.read_csv(
        io.BytesIO(raw), sep="\t", header=None, names=GEONAMES_COLUMNS, dtype=str,
        quoting=3, keep_default_na=False, na_values=[""],
    )  # fmt: skip
    table = table[table["feature_class"].isin(["P", "S", "A", "L", "T", "H", "V"])]
    kind = table["feature_code"].map(_KIND_BY_CODE)
    kind = kind.fillna(table["feature_class"].map({"P": "village"})).fillna("site")
    alternates = table["alternatenames"].fillna("").str.replace(",", "|")
    return pd.DataFrame(
        {
            "name": table["name"],
            "names": table["asciiname"].fillna("") + "|" + alternates,
            "lat": pd.to_numeric(table["latitude"], errors="coerce"),
            "lon": pd.to_numeric(table["longitude"], errors="coerce"),
            "population": pd.to_numeric(table["population"], errors="coerce").fillna(0),
            "kind": kind,
            "source": "GeoNames",
            "source_id": table["geonameid"],
        }
    )


def _read_csv(raw: bytes, path: Path) -> pd.DataFrame:
    table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[""])
    cols = {c.lower().strip(): c for c in table.columns}

    def pick(*options: str) -> str | None:
        return next((cols[o] for o in options if o in cols), None)

    name = pick("name", "place", "village", "village_name", "location")
    lat, lon = pick("latitude", "lat", "y"), pick("longitude", "lon", "lng", "long", "x")
    if name is None or lat is None or lon is None:
        msg = (
            f"{path.name} needs name, latitude and longitude columns; it has "
            f"{list(table.columns)!r}. Rename them (e.g. 'name', 'latitude', 'longitude')."
        )
        raise InvalidInputError(msg)
    alt = pick("alternatenames", "alternate_names", "aliases", "names", "asciiname")
    kind_col = pick("kind", "feature")
    pop_col = pick("population")
    id_col = pick("id", "source_id", "geonameid")
    n = len(table)
    kinds = ("village", "town", "site", "capital")
    return pd.DataFrame(
        {
            "name": table[name],
            "names": table[alt].fillna("").str.replace(",", "|") if alt else "",
            "lat": pd.to_numeric(table[lat], errors="coerce"),
            "lon": pd.to_numeric(table[lon], errors="coerce"),
            "population": pd.to_numeric(table[pop_col], errors="coerce").fillna(0)
            if pop_col
            else 0,
            "kind": table[kind_col].where(table[kind_col].isin(kinds), "village")
            if kind_col
            else "village",
            "source": path.name,
            "source_id": table[id_col]
            if id_col
            else pd.Series(range(n), index=table.index).astype(str),
        }
    )


def load_gazetteer(path: str | os.PathLike[str], *, replace: bool = False) -> int:
    """Compile a user gazetteer and use it, with the bundle, from now on.

    Parameters
    ----------
    path : str or path-like
        A GeoNames country dump (``AF.txt`` or ``AF.zip``, 19 tab-separated columns)
        or a CSV with ``name``, ``latitude``, ``longitude`` and optionally alternate
        names (``alternatenames``/``aliases``), ``kind`` and ``id`` columns.
    replace : bool, default False
        Remove gazetteers compiled earlier from a file of the same name (an older
        version of this file), so that its places are not listed twice.

    Returns
    -------
    int
        How many places were added (places outside Afghanistan or without valid
        coordinates are left out).

    Raises
    ------
    DataError
        If the file cannot be read.
    InvalidInputError
        If a CSV lacks the name or coordinate columns.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as err:
        msg = f"Cannot read gazetteer file {str(source)!r}: {err.strerror or err}."
        raise DataError(msg) from err
    if zipfile.is_zipfile(io.BytesIO(raw)):
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            if not members:
                msg = f"{source.name} holds no GeoNames .txt file."
                raise DataError(msg)
            raw = zf.read(members[0])
        table = _read_geonames(raw)
    elif b"\t" in raw.split(b"\n", 1)[0] and raw.split(b"\t", 1)[0].strip().isdigit():
        table = _read_geonames(raw)
    else:
        table = _read_csv(raw, source)
    where = locate(lon=table["lon"].to_numpy(float), lat=table["lat"].to_numpy(float))
    ok = (where["status"] == "ok").to_numpy()
    table = table[ok].reset_index(drop=True)
    table["province"] = where.loc[ok, "province"].astype(object).to_numpy()
    table["district"] = where.loc[ok, "district"].astype(object).to_numpy()
    table["id"] = "U-" + table["source_id"].astype(str)
    folder = data_dir() / "gazetteers"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(raw).hexdigest()[:_DIGEST]
    out = folder / f"{source.stem}-{digest}.csv"
    tmp = out.with_suffix(".tmp")
    table[COLUMNS].to_csv(tmp, index=False)
    os.replace(tmp, out)
    if replace:
        for old in user_gazetteers():
            if old != out and source_name(old) == source.stem:
                with contextlib.suppress(OSError):
                    old.unlink()
    return len(table)
