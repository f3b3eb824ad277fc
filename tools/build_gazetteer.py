"""Build afghangeo's bundled gazetteer: afghangeo/data/gazetteer.csv.

Inputs: the bundled province and district layers (afghangeo/data/), the GeoNames
cities500 extract with all alternate names in
../shared/data/gazetteer/bundle/af_gazetteer_compact.csv (CC BY 4.0, GeoNames), and
afghangeo's own tables afghangeo/data/district_aliases.csv (more names of the
districts) and afghangeo/data/notable_places.csv (places cities500 lacks).

Every place gets its province and district from ``afghangeo.locate`` on its
coordinates, never from GeoNames' admin1 codes, which are stale in places; a notable place
must lie in the district and province its table states. Alternate names are kept in
Latin and Arabic script only. A notable place that repeats a GeoNames place (same name
key, within MERGE_KM) adds its names to that place instead of becoming an entry. Run
from the repository root: ``python tools/build_gazetteer.py``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_BUNDLE = Path("shared", "data", "gazetteer", "bundle", "af_gazetteer_compact.csv")
# ../shared next to the repository (or next to the folder of git worktrees)
SOURCE = next(
    (p / _BUNDLE for p in ROOT.parents[:2] if (p / _BUNDLE).exists()), ROOT.parent / _BUNDLE
)
DATA = ROOT / "afghangeo" / "data"
OUT = DATA / "gazetteer.csv"
ALIASES = DATA / "district_aliases.csv"
NOTABLE = DATA / "notable_places.csv"
NOTABLE_SOURCE = "afghangeo notable places"
MERGE_KM = 5.0  # a notable place this close to a GeoNames place of the same name is that place

_LATIN_OR_ARABIC = re.compile(
    r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff'’‘`ʼʻʿʾ\-.()\u0600-\u06ff\u0750-\u077f\u200c]+$"
)


def keep_name(name: str) -> bool:
    return bool(name) and bool(_LATIN_OR_ARABIC.match(name)) and len(name) <= 60


def slug(name: str) -> str:
    """A stable ASCII identifier of a name: 'Shar-e Naw' -> 'shar-e-naw'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def join_names(*groups: object) -> str:
    """`|`-joined distinct non-empty names, in order of first appearance."""
    names: list[str] = []
    for group in groups:
        if isinstance(group, str):
            names += [n for n in group.split("|") if n]
    return "|".join(dict.fromkeys(names))


def district_aliases() -> dict[str, str]:
    """District code -> the extra names of district_aliases.csv, `|`-joined."""
    import afghangeo as ag

    table = pd.read_csv(ALIASES, dtype=str)
    known = ag.districts().set_index("code")
    extra: dict[str, list[str]] = {}
    for rec in table.itertuples():
        row = known.loc[rec.code]
        assert (row["name"], row["province"]) == (rec.district, rec.province), rec
        extra.setdefault(rec.code, []).append(rec.alias)
    return {code: "|".join(names) for code, names in extra.items()}


def notable_places(rows: list[dict[str, object]]) -> int:
    """Add notable_places.csv to `rows`: new entries, or names merged into GeoNames ones.

    Returns how many places were merged into an existing entry.
    """
    import afghangeo as ag
    from afghangeo._geo import great_circle_km
    from afghangeo.names import name_key

    table = pd.read_csv(NOTABLE, dtype={"lat": float, "lon": float}, keep_default_na=False)
    where = ag.locate(lon=table["lon"], lat=table["lat"])
    towns = [r for r in rows if r["source"] == "GeoNames"]
    by_key: dict[str, list[dict[str, object]]] = {}
    for town in towns:
        for spelling in [str(town["name"]), *str(town["names"]).split("|")]:
            if spelling:
                by_key.setdefault(name_key(spelling), []).append(town)
    merged = 0
    for n, (rec, loc) in enumerate(zip(table.itertuples(), where.itertuples(), strict=True), 1):
        stated = (rec.province, rec.district)
        found = (loc.province, loc.district)
        assert found == stated, f"{rec.name}: the table says {stated}, locate says {found}"
        same = [
            t
            for t in by_key.get(name_key(rec.name), [])
            if great_circle_km(rec.lat, rec.lon, float(t["lat"]), float(t["lon"])) <= MERGE_KM
        ]
        if same:
            town = same[0]
            town["names"] = join_names(town["names"], rec.name, rec.alternatenames)
            print(f"merged notable place {rec.name!r} into GeoNames {town['name']!r}")
            merged += 1
            continue
        rows.append(
            {
                "id": f"N-{n}",
                "name": rec.name,
                "kind": rec.kind,
                "province": rec.province,
                "district": rec.district,
                "lat": rec.lat,
                "lon": rec.lon,
                "population": 0,
                "source": NOTABLE_SOURCE,
                "source_id": slug(rec.name),
                "names": join_names(rec.alternatenames),
            }
        )
    return merged


def main() -> None:
    import afghangeo as ag

    src = pd.read_csv(SOURCE, dtype={"source_id": str})
    provinces = ag.provinces()
    districts = ag.districts()
    extra_names = district_aliases()
    rows: list[dict[str, object]] = []

    capitals = {}  # (lat, lon) of the GeoNames row used as each province's point
    for rec in src[src["source"] == "province_table"].itertuples():
        capital = "provincial capital" in str(rec.note)
        capitals[(rec.latitude, rec.longitude)] = rec.province if capital else None
        aliases = [a for a in str(rec.alternatenames).split("|") if a and a != "nan"]
        prov = provinces.set_index("name").loc[rec.province]
        point = polylabel(prov.geometry, tolerance=0.005)  # visual centre, inside the polygon
        rows.append(
            {
                "id": f"P-{rec.iso_3166_2}",
                "name": rec.province,
                "kind": "province",
                "province": rec.province,
                "district": None,
                "lat": round(point.y, 5),
                "lon": round(point.x, 5),
                "population": 0,
                "source": "afghangeo provinces",
                "source_id": rec.iso_3166_2,
                "names": "|".join(dict.fromkeys([prov["name_fa"], *aliases])),
            }
        )

    for rec in districts.itertuples():
        point = polylabel(rec.geometry, tolerance=0.002)
        rows.append(
            {
                "id": f"D-{rec.code}",
                "name": rec.name,
                "kind": "district",
                "province": rec.province,
                "district": rec.name,
                "lat": round(point.y, 5),
                "lon": round(point.x, 5),
                "population": 0,
                "source": "geoBoundaries ADM2",
                "source_id": rec.source_id,
                "names": join_names(rec.aliases, extra_names.get(rec.code)),
            }
        )

    towns = src[src["source"] == "geonames_cities500"].copy()
    where = ag.locate(lon=towns["longitude"], lat=towns["latitude"])
    kept = 0
    for rec, loc in zip(towns.itertuples(), where.itertuples(), strict=True):
        if loc.status != "ok":
            print(f"skipped (outside the boundaries): {rec.name} {rec.latitude},{rec.longitude}")
            continue
        alternates = [rec.asciiname, *str(rec.alternatenames).split("|")]
        alternates = [a for a in alternates if isinstance(a, str) and keep_name(a)]
        capital_of = capitals.get((rec.latitude, rec.longitude))
        rows.append(
            {
                "id": f"G-{rec.source_id}",
                "name": rec.name,
                "kind": "capital" if capital_of else "town",
                "province": loc.province,
                "district": loc.district,
                "lat": rec.latitude,
                "lon": rec.longitude,
                "population": int(rec.population) if rec.population == rec.population else 0,
                "source": "GeoNames",
                "source_id": rec.source_id,
                "names": "|".join(dict.fromkeys(a for a in alternates if a != rec.name)),
            }
        )
        kept += 1
        if rec.province != loc.province:
            print(
                f"GeoNames admin1 says {rec.province}, coordinates say {loc.province}: {rec.name}"
            )

    merged = notable_places(rows)
    out = pd.DataFrame(rows)
    out["names"] = out["names"].fillna("")
    out.to_csv(OUT, index=False, lineterminator="\n")
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(out)} entries ({kept} GeoNames places, "
        f"{(out['source'] == NOTABLE_SOURCE).sum()} notable places, {merged} merged), "
        f"{OUT.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
