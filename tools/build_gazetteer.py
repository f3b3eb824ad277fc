"""Build afghangeo's bundled gazetteer: afghangeo/data/gazetteer.csv.

Inputs: the bundled province and district layers (afghangeo/data/) and the GeoNames
cities500 extract with all alternate names in
../shared/data/gazetteer/bundle/af_gazetteer_compact.csv (CC BY 4.0, GeoNames).

Every place gets its province and district from ``afghangeo.locate`` on its
coordinates, never from GeoNames' admin1 codes, which are stale in places. Alternate
names are kept in Latin and Arabic script only. Run from the repository root:
``python tools/build_gazetteer.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCE = ROOT.parent / "shared" / "data" / "gazetteer" / "bundle" / "af_gazetteer_compact.csv"
OUT = ROOT / "afghangeo" / "data" / "gazetteer.csv"

_LATIN_OR_ARABIC = re.compile(
    r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff'’‘`ʼʻʿʾ\-.()\u0600-\u06ff\u0750-\u077f\u200c]+$"
)


def keep_name(name: str) -> bool:
    return bool(name) and bool(_LATIN_OR_ARABIC.match(name)) and len(name) <= 60


def main() -> None:
    import afghangeo as ag

    src = pd.read_csv(SOURCE, dtype={"source_id": str})
    provinces = ag.provinces()
    districts = ag.districts()
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
                "names": rec.aliases,
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

    out = pd.DataFrame(rows)
    out["names"] = out["names"].fillna("")
    out.to_csv(OUT, index=False, lineterminator="\n")
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(out)} entries ({kept} GeoNames places), "
        f"{OUT.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
