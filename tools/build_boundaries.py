"""Build afghangeo's boundary data from ../shared/data/boundaries/bundle/.

Writes
------
data/provinces.geojson            34 provinces (top-level copy, required by the project layout)
afghangeo/data/provinces.geojson  the same bytes, shipped in the wheel
afghangeo/data/districts.geojson  398 districts with canonical names, province and aliases
afghangeo/data/locate_grid.npz    the grid index that ``afghangeo.locate`` uses

Choice of province geometry
---------------------------
The geoBoundaries ADM1 layer is traced from a Wikimedia map (boundary year 2007) and
its borders do not coincide with the ADM2 (AGCHO/ESOC 2014) district borders. We
derive the provinces by dissolving the districts on their assigned province instead,
so that a point's province and district always agree, and fill the 20 sliver gaps
(0.7 km² in all) between districts by giving each to the neighbour with which it
shares the longest border. Run ``python tools/build_boundaries.py`` from the repo root.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "boundaries" / "bundle"
PKG_DATA = ROOT / "afghangeo" / "data"
GRID = 1e-5  # coordinate precision of the source, degrees

# Dari names of the provinces (general knowledge; the boundary source has none).
PROVINCE_FA = {
    "Badakhshan": "بدخشان",
    "Badghis": "بادغیس",
    "Baghlan": "بغلان",
    "Balkh": "بلخ",
    "Bamyan": "بامیان",
    "Daykundi": "دایکندی",
    "Farah": "فراه",
    "Faryab": "فاریاب",
    "Ghazni": "غزنی",
    "Ghor": "غور",
    "Helmand": "هلمند",
    "Herat": "هرات",
    "Jowzjan": "جوزجان",
    "Kabul": "کابل",
    "Kandahar": "کندهار",
    "Kapisa": "کاپیسا",
    "Khost": "خوست",
    "Kunar": "کنر",
    "Kunduz": "کندز",
    "Laghman": "لغمان",
    "Logar": "لوگر",
    "Nangarhar": "ننگرهار",
    "Nimroz": "نیمروز",
    "Nuristan": "نورستان",
    "Paktia": "پکتیا",
    "Paktika": "پکتیکا",
    "Panjshir": "پنجشیر",
    "Parwan": "پروان",
    "Samangan": "سمنگان",
    "Sar-e Pol": "سرپل",
    "Takhar": "تخار",
    "Uruzgan": "ارزگان",
    "Wardak": "وردک",
    "Zabul": "زابل",
}

# OCHA/AGCHO province P-codes (general knowledge; AF01 Kabul ... AF34 Nimroz; matches the
# codes cited in ../shared/data/boundaries/bundle/SOURCES.md: AF01, AF17, AF30, AF31).
PCODES = {
    "Kabul": "AF01",
    "Kapisa": "AF02",
    "Parwan": "AF03",
    "Wardak": "AF04",
    "Logar": "AF05",
    "Nangarhar": "AF06",
    "Laghman": "AF07",
    "Panjshir": "AF08",
    "Baghlan": "AF09",
    "Bamyan": "AF10",
    "Ghazni": "AF11",
    "Paktika": "AF12",
    "Paktia": "AF13",
    "Khost": "AF14",
    "Kunar": "AF15",
    "Nuristan": "AF16",
    "Badakhshan": "AF17",
    "Takhar": "AF18",
    "Kunduz": "AF19",
    "Samangan": "AF20",
    "Balkh": "AF21",
    "Sar-e Pol": "AF22",
    "Ghor": "AF23",
    "Daykundi": "AF24",
    "Uruzgan": "AF25",
    "Zabul": "AF26",
    "Kandahar": "AF27",
    "Jowzjan": "AF28",
    "Faryab": "AF29",
    "Helmand": "AF30",
    "Badghis": "AF31",
    "Herat": "AF32",
    "Farah": "AF33",
    "Nimroz": "AF34",
}

# Source spellings that need more than whitespace tidying: source name -> canonical name.
# Text in parentheses in the source is an alternative name and becomes an alias.
DISTRICT_NAMES = {
    "Nawa-I- Barak Zayi": "Nawa-i-Barakzayi",
    "Qala-I- Naw": "Qala-i-Naw",
    "Dahana-I- Ghuri": "Dahana-i-Ghuri",
    "Qalay-I- Zal": "Qalay-i-Zal",
    "Hisa-I- Awali Bihsud": "Hisa-i-Awali Bihsud",
    "Dara-I-Pech": "Dara-i-Pech",
    "Dara-I-Nur": "Dara-i-Nur",
    "Dara-I-Sufi Bala": "Dara-i-Sufi Bala",
    "Dara-I-Sufi Payin": "Dara-i-Sufi Payin",
    "Reg(Khanshin)": "Reg (Khanshin)",
    "Khost(Matun)": "Khost (Matun)",
    "Sia Gird ( Ghorbund)": "Sia Gird (Ghorbund)",
    "Khenj (Hese- Awal)": "Khenj (Hisa-i-Awal)",
    "Shaygal wa shital": "Shaygal Wa Shital",
    "Ishkashiem": "Ishkashim",
    "Hirat": "Herat",
    "Mazari Sharif": "Mazar-i-Sharif",
    "Puli Khumri": "Pul-i-Khumri",
    "Puli Alam": "Pul-i-Alam",
    "Gardiz": "Gardez",
    "Tirin Kot": "Tarinkot",
    "Taluqan": "Taloqan",
    "Shibirghan": "Sheberghan",
    "Sari Pul": "Sar-e Pol",
}

# Further well-known spellings of districts (general knowledge), keyed by
# (province, canonical name). Anything transliteration folding already handles
# (Hilmand/Helmand, Qala-e-Naw/Qala-i-Naw ...) is not listed.
DISTRICT_ALIASES = {
    ("Helmand", "Lashkar Gah"): ["Lashkargah", "Bost", "Bust"],
    ("Helmand", "Nawa-i-Barakzayi"): ["Nawa", "Nawa Barakzai", "Nawa-e-Barakzai"],
    ("Helmand", "Nad Ali"): ["Nad-e Ali", "Nad-i-Ali", "Nadali"],
    ("Helmand", "Nahri Sarraj"): ["Nahr-e Saraj", "Nahr-i-Sarraj", "Gereshk", "Girishk"],
    ("Helmand", "Garmser"): ["Garmsir", "Hazarjuft"],
    ("Helmand", "Naw Zad"): ["Now Zad", "Nawzad"],
    ("Helmand", "Reg (Khanshin)"): ["Reg", "Khan Neshin"],
    ("Helmand", "Washer"): ["Washir"],
    ("Helmand", "Dishu"): ["Deshu"],
    ("Helmand", "Kajaki"): ["Kajakai"],
    ("Kandahar", "Kandahar"): ["Kandahar City", "Qandahar"],
    ("Kandahar", "Panjwayi"): ["Panjwai", "Panjway"],
    ("Kandahar", "Zhari"): ["Zheray"],
    ("Kandahar", "Maywand"): ["Maiwand"],
    ("Kandahar", "Spin Boldak"): ["Spin Buldak"],
    ("Kandahar", "Shah Wali Kot"): ["Shahwalikot"],
    ("Kabul", "Kabul"): ["Kabul City"],
    ("Kabul", "Surobi"): ["Sarobi", "Sarowbi"],
    ("Kabul", "Musayi"): ["Musahi"],
    ("Herat", "Herat"): ["Herat City", "Hirat"],
    ("Herat", "Obe"): ["Obeh", "Awbi"],
    ("Herat", "Koshk"): ["Kushk", "Koshk-e Rubat-i-Sangi", "Rubat-i-Sangi"],
    ("Herat", "Koshki Kohna"): ["Kushk-i-Kuhna", "Kushki Kuhna"],
    ("Badghis", "Bala Murghab"): ["Murghab"],
    ("Badghis", "Ab Kamari"): ["Abkamari"],
    ("Nangarhar", "Khogayani"): ["Khogyani", "Khugiani"],
    ("Nangarhar", "Acheen"): ["Achin"],
    ("Nangarhar", "Hesarak"): ["Hisarak"],
    ("Nangarhar", "Pachier Agam"): ["Pachir Wa Agam", "Pachir Aw Agam"],
    ("Nangarhar", "Lal Por"): ["Lalpur"],
    ("Nangarhar", "Muhmand Dara"): ["Mohmand Dara"],
    ("Nangarhar", "Dur Baba"): ["Durbaba"],
    ("Nangarhar", "Bati Kot"): ["Batikot"],
    ("Kunduz", "Dashte Archi"): ["Dasht-i-Archi", "Archi"],
    ("Kunduz", "Chahar Dara"): ["Char Dara", "Chardara"],
    ("Paktia", "Zurmat"): ["Zormat"],
    ("Paktia", "Ali Khail (Jaji)"): ["Jaji", "Ali Khel"],
    ("Paktika", "Urgun"): ["Orgun"],
    ("Paktika", "Sharan"): ["Sharana"],
    ("Ghazni", "Andar"): ["Andar"],
    ("Ghazni", "Bahrami Shahid (Jaghatu)"): ["Jaghatu", "Jaghato"],
    ("Wardak", "Saydabad"): ["Sayedabad", "Sayyidabad"],
    ("Wardak", "Maydan Shahr"): ["Maidan Shahr"],
    ("Wardak", "Chaki Wardak"): ["Chak", "Chak-e Wardak"],
    ("Uruzgan", "Tarinkot"): ["Tarin Kot", "Tarin Kowt", "Tirin Kot"],
    ("Uruzgan", "Dihrawud"): ["Dehrawud", "Deh Rawod"],
    ("Uruzgan", "Shahidi Hassas"): ["Shahid-i-Hassas"],
    ("Zabul", "Qalat"): ["Qalat-i-Ghilzai"],
    ("Zabul", "Shahjoy"): ["Shah Joy", "Shahjui"],
    ("Farah", "Bala Buluk"): ["Bala Baluk"],
    ("Farah", "Pusht Rod"): ["Posht Rod", "Pusht-i-Rod"],
    ("Kunar", "Asadabad"): ["Asad Abad"],
    ("Kunar", "Dara-i-Pech"): ["Pech", "Manogai"],
    ("Laghman", "Mihtarlam"): ["Mehtarlam", "Mehtar Lam"],
    ("Baghlan", "Pul-i-Khumri"): ["Pul-e Khumri", "Puli Khumri"],
    ("Baghlan", "Baghlani Jadid"): ["Baghlan-e Jadid", "New Baghlan"],
    ("Balkh", "Mazar-i-Sharif"): ["Mazar", "Mazari Sharif"],
    ("Jowzjan", "Sheberghan"): ["Shibirghan", "Shiberghan"],
    ("Faryab", "Maymana"): ["Maimana"],
    ("Faryab", "Qaysar"): ["Qaisar"],
    ("Faryab", "Khani Chahar Bagh"): ["Khan-e Chahar Bagh"],
    ("Takhar", "Taloqan"): ["Taluqan", "Taleqan"],
    ("Badakhshan", "Fayzabad"): ["Faizabad"],
    ("Bamyan", "Bamyan"): ["Bamiyan"],
    ("Ghor", "Chaghcharan"): ["Chakhcharan", "Firozkoh", "Feroz Koh"],
    ("Nimroz", "Khash Rod"): ["Khashrod"],
    ("Nimroz", "Chakhansur"): ["Chakhansoor"],
    ("Parwan", "Bagram"): ["Bagram"],
    ("Parwan", "Chaharikar"): ["Charikar"],
    ("Parwan", "Jabalussaraj"): ["Jabal Saraj", "Jabal-us-Saraj"],
    ("Khost", "Khost (Matun)"): ["Matun", "Khost City"],
    ("Samangan", "Aybak"): ["Samangan", "Aibak"],
    ("Sar-e Pol", "Sar-e Pol"): ["Sari Pul", "Sar-i-Pul"],
    ("Panjshir", "Khenj (Hisa-i-Awal)"): ["Hisa-i-Awal"],
    ("Daykundi", "Nili"): ["Nilli"],
}


def tidy(name: str) -> str:
    return " ".join(name.split())


def split_aliases(name: str) -> tuple[str, list[str]]:
    """'Reg (Khanshin)' -> ('Reg (Khanshin)', ['Reg', 'Khanshin'])."""
    if "(" not in name:
        return name, []
    head, _, rest = name.partition("(")
    inner = rest.rstrip(")").strip()
    return name, [head.strip(), inner]


def fill_gaps(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each interior sliver between districts to its longest-border neighbour."""
    country = shapely.union_all(districts.geometry.values)
    holes = [shapely.Polygon(ring) for ring in country.interiors]
    geoms = list(districts.geometry.values)
    for hole in holes:
        shared = shapely.length(shapely.intersection(hole.boundary, shapely.boundary(geoms)))
        i = int(np.argmax(shared))
        geoms[i] = shapely.union(geoms[i], hole)
    out = districts.copy()
    out["geometry"] = shapely.set_precision(np.asarray(geoms), GRID)
    print(f"filled {len(holes)} gaps between districts")
    return out


def build_districts() -> gpd.GeoDataFrame:
    raw = gpd.read_file(SHARED / "districts.geojson")
    rows = []
    for rec in raw.itertuples():
        source = tidy(rec.source_name)
        canonical = DISTRICT_NAMES.get(source, tidy(rec.name))
        canonical, aliases = split_aliases(canonical)
        aliases += DISTRICT_ALIASES.get((rec.province, canonical), [])
        if source != canonical:
            aliases.append(source)
        aliases = list(dict.fromkeys(a for a in aliases if a and a != canonical))
        rows.append(
            {
                "name": canonical,
                "province": rec.province,
                "iso_3166_2": rec.iso_3166_2,
                "code": f"{rec.iso_3166_2}-{int(rec.source_objectid):03d}",
                "aliases": "|".join(aliases),
                "province_method": rec.province_method,
                "source_name": source,
                "source_objectid": int(rec.source_objectid),
                "source_id": rec.source_id,
                "geometry": rec.geometry,
            }
        )
    used = set(DISTRICT_ALIASES)
    known = {(r["province"], r["name"]) for r in rows}
    missing = used - known
    if missing:
        sys.exit(f"DISTRICT_ALIASES names districts that do not exist: {sorted(missing)}")
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    out = fill_gaps(out)
    areas = out.to_crs(6933).area / 1e6
    out.insert(4, "area_km2", areas.round(1))
    return out.sort_values(["province", "name"], ignore_index=True)


def build_provinces(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    adm1 = gpd.read_file(SHARED / "provinces.geojson").set_index("name")
    dissolved = districts.dissolve("province", aggfunc={"iso_3166_2": "first", "code": "count"})
    dissolved = dissolved.rename(columns={"code": "n_districts"})
    dissolved["geometry"] = shapely.set_precision(dissolved.geometry.values, GRID)
    prov = gpd.GeoDataFrame(
        {
            "name": dissolved.index,
            "iso_3166_2": dissolved["iso_3166_2"].values,
            "pcode": [PCODES[n] for n in dissolved.index],
            "name_fa": [PROVINCE_FA[n] for n in dissolved.index],
            "n_districts": dissolved["n_districts"].values,
            "area_km2": (dissolved.to_crs(6933).area / 1e6).round(1).values,
            "adm1_source_id": adm1.loc[dissolved.index, "source_id"].values,
        },
        geometry=dissolved.geometry.values,
        crs="EPSG:4326",
    )
    if len(prov) != 34 or not prov.geometry.is_valid.all():
        sys.exit("province dissolve did not give 34 valid polygons")
    if (adm1.loc[prov["name"], "iso_3166_2"].values != prov["iso_3166_2"].values).any():
        sys.exit("ISO codes of the dissolved provinces disagree with the ADM1 layer")
    return prov.sort_values("name", ignore_index=True)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Deterministic RFC 7946 GeoJSON with 5 decimals."""
    data = json.loads(gdf.to_json(drop_id=True, to_wgs84=False))
    text = json.dumps(
        {"type": "FeatureCollection", "features": data["features"]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from afghangeo._grid import build_grid  # the same code that reads the grid

    districts = build_districts()
    provinces = build_provinces(districts)
    write_geojson(provinces, PKG_DATA / "provinces.geojson")
    shutil.copyfile(PKG_DATA / "provinces.geojson", ROOT / "data" / "provinces.geojson")
    write_geojson(districts, PKG_DATA / "districts.geojson")

    # Re-read what was written so that the grid indexes exactly the shipped polygons.
    arrays = {}
    for layer, cell in (("provinces", 0.01), ("districts", 0.01)):
        path = PKG_DATA / f"{layer}.geojson"
        gdf = gpd.read_file(path)
        grid = build_grid(gdf.geometry.values, cell=cell)
        for key, value in grid.items():
            arrays[f"{layer}/{key}"] = value
        arrays[f"{layer}/sha256"] = np.array(hashlib.sha256(path.read_bytes()).hexdigest())
        mixed = int((grid["label"] == -2).sum())
        print(f"{layer}: grid {grid['label'].shape}, {mixed:,} border cells")
    np.savez_compressed(PKG_DATA / "locate_grid.npz", **arrays)
    size = (PKG_DATA / "locate_grid.npz").stat().st_size
    print(f"wrote afghangeo/data/locate_grid.npz ({size:,} bytes)")
    pd.set_option("display.width", 200)
    print(provinces.drop(columns="geometry").to_string())


if __name__ == "__main__":
    main()
