"""Reading the gazetteer files a user adds: GeoNames dumps and CSV tables of places.

:func:`parse` turns the bytes of a file into rows with kinds, and :func:`clean` drops
the rows that cannot be places (empty or numeric names, bad coordinates, points
outside Afghanistan), counting each reason, so that one bad row never breaks the
library and nothing is dropped unsaid.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

from afghangeo._csv import read_csv
from afghangeo._vocab import KINDS
from afghangeo.errors import DataError, InvalidInputError
from afghangeo.locate import locate
from afghangeo.names import name_key

__all__ = ["MAX_MEMBER_BYTES", "clean", "kind_of_code", "parse"]

#: The largest zip member :func:`parse` reads (GeoNames' AF.txt is about 15 MB).
MAX_MEMBER_BYTES = 256 << 20

# The 19 columns of a GeoNames country dump (AF.txt), in order.
GEONAMES_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
]  # fmt: skip
_KIND_BY_CODE = {
    "PPLC": "capital", "PPLA": "capital", "PPLA2": "town", "PPLA3": "town", "PPLA4": "town",
    "PPLG": "town", "PPLX": "quarter", "ADM1": "province", "ADM2": "district",
    "ADM3": "district", "ADMD": "district", "AIRP": "airport", "AIRF": "airport",
    "AIRB": "base", "AIRH": "airport", "MILB": "base", "INSM": "base", "PSTB": "crossing",
    "PASS": "pass", "VAL": "valley", "VALS": "valley", "DAM": "dam", "MT": "mountain",
    "MTS": "mountain", "PK": "mountain", "PKS": "mountain", "HLL": "mountain",
    "HLLS": "mountain", "AREA": "area", "RGN": "area", "PLN": "area",
}  # fmt: skip
_NULLS = frozenset({"na", "n/a", "nan", "null", "none", "nil", "-", "?", "unknown"})
_KIND_BY_CLASS = {"P": "village", "A": "area", "L": "area", "T": "mountain", "H": "site"}


def kind_of_code(code: object, feature_class: object = None) -> str:
    """The kind of a GeoNames feature code (``PPLA`` → capital, ``AIRP`` → airport).

    >>> kind_of_code("PPL"), kind_of_code("ADM2"), kind_of_code("XYZ", "S")
    ('village', 'district', 'site')
    """
    code = str(code).strip().upper() if isinstance(code, str) else ""
    if code in _KIND_BY_CODE:
        return _KIND_BY_CODE[code]
    if code.startswith("PPL"):
        return "village"
    klass = str(feature_class).strip().upper() if isinstance(feature_class, str) else ""
    return _KIND_BY_CLASS.get(klass or code[:1], "site")


def _member(raw: bytes, name: str) -> bytes:
    """The GeoNames .txt member of a zip, read with a size cap."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as err:
        msg = f"{name} is a damaged zip file ({err}); download it again."
        raise DataError(msg) from err
    with zf:
        infos = [i for i in zf.infolist() if i.filename.endswith(".txt")]
        infos = [i for i in infos if "readme" not in i.filename.lower()]
        if not infos:
            msg = f"{name} holds no GeoNames .txt file; add the country dump (AF.zip)."
            raise DataError(msg)
        info = infos[0]
        if info.file_size > MAX_MEMBER_BYTES:
            msg = f"{name}: {info.filename} unpacks to {info.file_size:,} bytes, too large."
            raise DataError(msg)
        try:
            with zf.open(info) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            msg = f"{name} is a damaged zip file ({err}); download it again."
            raise DataError(msg) from err
        if len(data) > MAX_MEMBER_BYTES:  # the header lied about the size
            msg = f"{name}: {info.filename} unpacks to more than {MAX_MEMBER_BYTES:,} bytes."
            raise DataError(msg)
        return data


def _read_geonames(raw: bytes) -> pd.DataFrame:
    try:
        table = pd.read_csv(
            io.BytesIO(raw), sep="\t", header=None, names=GEONAMES_COLUMNS, dtype=str,
            quoting=3, keep_default_na=False, na_values=[""], on_bad_lines="skip",
        )  # fmt: skip
    except (ValueError, pd.errors.ParserError) as err:
        msg = f"Cannot read this GeoNames dump ({err}); download it again."
        raise DataError(msg) from err
    pairs = zip(table["feature_code"], table["feature_class"], strict=True)
    kinds = [kind_of_code(code, klass) for code, klass in pairs]
    alternates = table["alternatenames"].fillna("").str.replace(",", "|")
    return pd.DataFrame(
        {
            "name": table["name"],
            "names": table["asciiname"].fillna("") + "|" + alternates,
            "lat": pd.to_numeric(table["latitude"], errors="coerce"),
            "lon": pd.to_numeric(table["longitude"], errors="coerce"),
            "population": pd.to_numeric(table["population"], errors="coerce").fillna(0),
            "kind": kinds,
            "source": "GeoNames",
            "source_id": table["geonameid"].fillna("").astype(str),
        }
    )


def _read_csv(raw: bytes, name: str) -> pd.DataFrame:
    table = read_csv(raw, name=name, dtype=str, keep_default_na=False, na_values=[""])
    cols = {str(c).lower().strip(): c for c in table.columns}
    place = _pick(cols, "name", "place", "village", "village_name", "location")
    lat = _pick(cols, "latitude", "lat", "y")
    lon = _pick(cols, "longitude", "lon", "lng", "long", "x")
    if place is None or lat is None or lon is None:
        msg = (
            f"{name} needs name, latitude and longitude columns; it has "
            f"{list(table.columns)!r}. Rename them (e.g. 'name', 'latitude', 'longitude')."
        )
        raise InvalidInputError(msg)
    alt = _pick(cols, "alternatenames", "alternate_names", "aliases", "names", "asciiname")
    pop, ident = _pick(cols, "population"), _pick(cols, "id", "source_id", "geonameid")
    n = len(table)
    return pd.DataFrame(
        {
            "name": table[place],
            "names": table[alt].fillna("").str.replace(",", "|") if alt is not None else "",
            "lat": pd.to_numeric(table[lat], errors="coerce"),
            "lon": pd.to_numeric(table[lon], errors="coerce"),
            "population": pd.to_numeric(table[pop], errors="coerce").fillna(0)
            if pop is not None
            else 0,
            "kind": _kinds(table, cols),
            "source": name,
            "source_id": table[ident].fillna("").astype(str)
            if ident is not None
            else pd.Series(range(n), index=table.index).astype(str),
        }
    )


def _pick(cols: Mapping[str, object], *options: str) -> object:
    return next((cols[o] for o in options if o in cols), None)


def _kinds(table: pd.DataFrame, cols: Mapping[str, object]) -> pd.Series:
    """Kinds from a ``kind`` column (our words) or a ``feature_code`` column (GeoNames)."""
    kind, code = _pick(cols, "kind", "feature"), _pick(cols, "feature_code")
    if kind is not None:
        given = table[kind].fillna("").str.strip().str.lower()
        return given.where(given.isin(KINDS), "village")
    if code is not None:
        return table[code].map(kind_of_code)
    return pd.Series("village", index=table.index)


def parse(raw: bytes, name: str) -> pd.DataFrame:
    """Rows (name, names, lat, lon, population, kind, source, source_id) of a file."""
    if zipfile.is_zipfile(io.BytesIO(raw)):
        return _read_geonames(_member(raw, name))
    first = raw.split(b"\n", 1)[0]
    if b"\t" in first and first.split(b"\t", 1)[0].strip().isdigit():
        return _read_geonames(raw)
    return _read_csv(raw, name)


def _is_name(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or len(text) > 200 or text.lower() in _NULLS or not name_key(text):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def clean(table: pd.DataFrame) -> tuple[pd.DataFrame, Counter[str]]:
    """(usable rows with province and district, skipped rows counted by reason)."""
    skipped: Counter[str] = Counter()
    named = table["name"].map(_is_name).to_numpy(bool)
    skipped["empty or numeric name"] = int((~named).sum())
    lat, lon = table["lat"].to_numpy(float), table["lon"].to_numpy(float)
    finite = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    skipped["missing or invalid coordinates"] = int((named & ~finite).sum())
    keep = named & finite
    where = locate(lon=np.where(keep, lon, math.nan), lat=np.where(keep, lat, math.nan))
    inside = (where["status"] == "ok").to_numpy(bool)
    skipped["outside Afghanistan"] = int((keep & ~inside).sum())
    keep &= inside
    out = table[keep].reset_index(drop=True)
    out["name"] = out["name"].str.strip()
    out["names"] = out["names"].fillna("").astype(str)
    out["province"] = where.loc[keep, "province"].astype(object).to_numpy()
    out["district"] = where.loc[keep, "district"].astype(object).to_numpy()
    return out, Counter({k: v for k, v in skipped.items() if v})
