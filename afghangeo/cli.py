"""The ``afghangeo`` command line: a thin layer over the public functions.

Data goes to standard output, messages to standard error. Exit status: 0 ok,
1 no result, 2 usage error or an :class:`~afghangeo.errors.AfghangeoError`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from afghangeo import __version__
from afghangeo._columns import detect_columns, load_table
from afghangeo.admin import (
    districts,
    locate,
    normalize_district,
    normalize_province,
    provinces,
)
from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import AfghangeoError, DataError, InvalidInputError
from afghangeo.extract import MENTION_COLUMNS, extract_incidents, extract_places
from afghangeo.geocoder import geocode_many
from afghangeo.incidents import read_incidents
from afghangeo.user_gazetteer import data_dir, load_gazetteer, source_name, user_gazetteers

__all__ = ["main"]


def _write_table(table: pd.DataFrame, output: str | None) -> None:
    if output:
        table.to_csv(output, index=False)
        print(f"wrote {len(table)} rows to {output}", file=sys.stderr)
    else:
        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(table.to_string(index=False))


def _cmd_provinces(args: argparse.Namespace) -> int:
    table = provinces().drop(columns=["geometry", "adm1_source_id"])
    _write_table(table, args.output)
    return 0


def _cmd_districts(args: argparse.Namespace) -> int:
    table = districts().drop(columns="geometry")
    if args.province:
        table = table[table["province"] == normalize_province(args.province)]
    _write_table(table[["name", "province", "code", "area_km2", "aliases"]], args.output)
    return 0


def _cmd_locate(args: argparse.Namespace) -> int:
    table = locate([args.lon], [args.lat])
    table.insert(0, "lat", args.lat)
    table.insert(0, "lon", args.lon)
    _write_table(table, None)
    return 0 if table["status"].iloc[0] == "ok" else 1


def _cmd_normalize(args: argparse.Namespace) -> int:
    if args.district:
        print(normalize_district(args.name, province=args.province))
    else:
        print(normalize_province(args.name))
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    incidents = read_incidents(args.incidents, progress=None if args.output else False)
    counter = count_by_district if args.by == "district" else count_by_province
    table = counter(incidents, weight=args.weight, freq=args.freq)
    _write_table(table, args.output)
    unlocated = int(table.loc[table["province"] == "unlocated", "count"].sum())
    return 0 if int(table["count"].sum()) > unlocated else 1


# --- gazetteer ------------------------------------------------------------------------


def _cmd_gazetteer_add(args: argparse.Namespace) -> int:
    folder = data_dir() / "gazetteers"
    for name in args.files:
        added = load_gazetteer(name)
        print(f"added {added:,} places from {name} (stored in {folder})", file=sys.stderr)
        if not added:
            print(f"note: {name} has no places inside Afghanistan", file=sys.stderr)
    return 0


def _cmd_gazetteer_list(args: argparse.Namespace) -> int:
    files = user_gazetteers()
    folder = data_dir() / "gazetteers"
    if not files:
        print(f"no user gazetteers in {folder}", file=sys.stderr)
        return 0
    rows = []
    for path in files:
        places = len(pd.read_csv(path, usecols=[0]))
        rows.append({"name": source_name(path), "file": path.name, "places": places})
    print(f"user gazetteers in {folder}:", file=sys.stderr)
    _write_table(pd.DataFrame(rows), None)
    return 0


def _cmd_gazetteer_remove(args: argparse.Namespace) -> int:
    files = user_gazetteers()
    if args.all:
        doomed = files
    elif not args.names:
        msg = "Name the gazetteers to remove (see `afghangeo gazetteer list`) or pass --all."
        raise InvalidInputError(msg)
    else:
        doomed = []
        for name in args.names:
            hits = [p for p in files if name in (p.name, p.stem, source_name(p))]
            if not hits:
                known = ", ".join(sorted({source_name(p) for p in files})) or "none"
                msg = f"No user gazetteer named {name!r}; the user gazetteers: {known}."
                raise InvalidInputError(msg)
            doomed += [p for p in hits if p not in doomed]
    for path in doomed:
        path.unlink()
        print(f"removed {path.name}", file=sys.stderr)
    if not doomed:
        print("no user gazetteers to remove", file=sys.stderr)
    return 0


def _cmd_gazetteer_download(args: argparse.Namespace) -> int:
    from afghangeo.download import geonames_url, install_geonames

    url = args.url or geonames_url(args.country)
    print(f"downloading {url}", file=sys.stderr)
    progress = False if args.no_progress else None
    path, added = install_geonames(url, progress=progress, timeout=args.timeout)
    folder = data_dir() / "gazetteers"
    print(f"added {added:,} places from {path} (stored in {folder})", file=sys.stderr)
    return 0


# --- geocode --------------------------------------------------------------------------


def _read_text(source: str) -> str:
    """A UTF-8 text file (a byte-order mark is allowed), or standard input for ``-``."""
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8-sig")
    except OSError as err:
        msg = f"Cannot read {source!r}: {err.strerror or err}."
        raise DataError(msg) from err
    except UnicodeDecodeError as err:
        msg = f"Cannot read {source!r}: it is not UTF-8 text ({err.reason}); save it as UTF-8."
        raise DataError(msg) from err


def _read_names(source: str) -> list[str]:
    lines = (line.strip() for line in _read_text(source).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _geocode_names(args: argparse.Namespace) -> tuple[pd.DataFrame, int]:
    if args.column:
        msg = "--column is for tables; a .txt file (or -) is read as one name per line."
        raise InvalidInputError(msg)
    province = normalize_province(args.province) if args.province else None
    table = geocode_many(_read_names(args.input), provinces=province)
    return table, int((table["status"] == "matched").sum())


def _geocode_table(args: argparse.Namespace) -> tuple[pd.DataFrame, int]:
    frame = load_table(args.input)
    overrides = {}
    if args.column:
        if args.column not in frame.columns:
            msg = f"No column {args.column!r} in {args.input}; it has {list(frame.columns)!r}."
            raise InvalidInputError(msg)
        overrides["place"] = args.column
    if args.province:
        province = normalize_province(args.province)
        roles = detect_columns([c for c in frame.columns if c != "geometry"], overrides)
        column = roles.get("province", "province")
        frame = frame.copy()
        if column in frame.columns:
            stated = frame[column].astype(object)
            empty = stated.isna() | stated.map(lambda v: isinstance(v, str) and not v.strip())
            frame[column] = stated.where(~empty, province)
        else:
            frame[column] = province
    incidents = read_incidents(
        frame, columns=overrides or None, progress=None if args.output else False
    )
    table = pd.DataFrame(incidents.drop(columns="geometry"))
    table = table.rename(columns={c: f"{c}_input" for c in ("latitude", "longitude") if c in table})
    at = list(table.columns).index("district") + 1
    points = incidents.geometry
    table.insert(at, "latitude", points.y.where(points.notna()).round(6).to_numpy(float))
    table.insert(at + 1, "longitude", points.x.where(points.notna()).round(6).to_numpy(float))
    located = ~table["status"].isin(["unlocated", "invalid"])
    return table, int(located.sum())


def _cmd_geocode(args: argparse.Namespace) -> int:
    is_names = args.input == "-" or Path(args.input).suffix.lower() == ".txt"
    table, located = _geocode_names(args) if is_names else _geocode_table(args)
    _write_table(table, args.output)
    print(f"located {located:,} of {len(table):,}", file=sys.stderr)
    return 0 if located else 1


# --- map ------------------------------------------------------------------------------


def _add_title(m: Any, title: str) -> None:
    import html

    import folium

    m.get_root().title = html.escape(title)  # branca's template does not escape it
    box = (
        '<div style="position:absolute;top:10px;left:50%;transform:translateX(-50%);'
        "z-index:1000;background:rgba(255,255,255,.85);padding:4px 12px;border-radius:4px;"
        'font:bold 16px sans-serif">'
        f"{html.escape(title)}</div>"
    )
    m.get_root().html.add_child(folium.Element(box))


def _cmd_map(args: argparse.Namespace) -> int:
    from afghangeo.maps import choropleth_map, incident_map, save_map

    incidents = read_incidents(args.incidents, progress=False)
    tiles = "OpenStreetMap" if args.online_tiles else None
    if args.choropleth or args.by:
        by: Literal["province", "district"] = "district" if args.by == "district" else "province"
        counter = count_by_district if by == "district" else count_by_province
        counts = counter(incidents, weight=args.weight)
        legend: bool | str = args.weight or "Incidents"
        m = choropleth_map(counts, args.weight or "count", by=by, legend=legend, tiles=tiles)
    else:
        m = incident_map(incidents, heat=args.weight or False, tiles=tiles)
    if args.title:
        _add_title(m, args.title)
    path = save_map(m, args.output, offline=True)
    n = len(incidents)
    unlocated = int(incidents["status"].isin(["unlocated", "invalid"]).sum())
    size = os.path.getsize(path) / 1024
    print(
        f"wrote {path} ({n:,} incidents, {n - unlocated:,} located, "
        f"{unlocated:,} unlocated; {size:,.0f} KB)",
        file=sys.stderr,
    )
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    if args.places:
        rows = []
        for path in args.articles:
            for m in extract_places(_read_text(path)):
                rows.append({"source": path, **m.to_dict()})
        table = pd.DataFrame(rows, columns=["source", *MENTION_COLUMNS])
        if not table.empty:
            table["alternatives"] = table["alternatives"].map("|".join)
        _write_table(table, args.output)
        return 0 if len(table) else 1
    tables = []
    for path in args.articles:
        found = extract_incidents(_read_text(path), published=args.published, source=path)
        facts = len(found.attrs.get("facts", ()))
        print(
            f"{path}: {found['incident'].nunique()} incidents at {len(found)} places, "
            f"{facts} national figures (published {found.attrs.get('published') or 'unknown'})",
            file=sys.stderr,
        )
        tables.append(found)
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if args.output:
        _write_table(table, args.output)
    else:
        shown = ["incident", "place", "province", "precision", "date", "date_end", "killed",
                 "wounded", "displaced_families", "source"]  # fmt: skip
        _write_table(table[shown] if len(table) else table, None)
    return 0 if len(table) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afghangeo",
        description="Afghan place names, boundaries, incident counts and maps.",
    )
    parser.add_argument("--version", action="version", version=f"afghangeo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("provinces", help="list the 34 provinces")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.set_defaults(func=_cmd_provinces)

    p = sub.add_parser("districts", help="list the districts")
    p.add_argument("--province", help="only the districts of this province (any spelling)")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.set_defaults(func=_cmd_districts)

    p = sub.add_parser("locate", help="province and district of a point")
    p.add_argument("lat", type=float, help="latitude, degrees north")
    p.add_argument("lon", type=float, help="longitude, degrees east")
    p.set_defaults(func=_cmd_locate)

    p = sub.add_parser("normalize", help="canonical spelling of a province or district")
    p.add_argument("name", help="a name in any common spelling, code or Dari/Pashto script")
    p.add_argument("--district", action="store_true", help="the name is a district")
    p.add_argument("--province", help="scope a district name to this province")
    p.set_defaults(func=_cmd_normalize)

    p = sub.add_parser(
        "extract",
        help="incidents (or place mentions) in article text",
        description="Find the reported attacks in one or more articles (UTF-8 text files, "
        "or - for standard input): place, province, date, killed, wounded, displaced. "
        "The CSV it writes is read as it is by `afghangeo count` and `afghangeo map`.",
    )
    p.add_argument("articles", nargs="+", help="text files, or - for standard input")
    p.add_argument(
        "--published",
        help="publication date (e.g. 2020-10-12) for 'late Thursday', 'since Friday'; "
        "read from a date line in the article when not given",
    )
    p.add_argument("--places", action="store_true", help="list the place mentions instead")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("count", help="count incidents per province (or district, period)")
    p.add_argument("incidents", help="CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet of incidents")
    p.add_argument("--by", choices=["province", "district"], default="province")
    p.add_argument("--freq", help="a pandas period alias: D, W, M, Q, Y")
    p.add_argument("--weight", help="a numeric column to sum too, e.g. fatalities")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.set_defaults(func=_cmd_count)

    p = sub.add_parser(
        "geocode",
        help="geocode a list of names or a table of incidents",
        description="Geocode a .txt file of names (one a line; - for standard input) or "
        "a table (CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet). Exit status 1 if nothing "
        "was located.",
    )
    p.add_argument("input", help="names.txt, - (names on standard input) or a table")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.add_argument(
        "--province",
        help="province of the names (for a table: of the rows that name none)",
    )
    p.add_argument("--column", help="the table's column of place names (default: detected)")
    p.set_defaults(func=_cmd_geocode)

    p = sub.add_parser(
        "map",
        help="draw incidents on a self-contained HTML map",
        description="Draw a table of incidents as points and shaded areas (or, with "
        "--choropleth, shade provinces or districts by their count) in one HTML file "
        "that opens with no network.",
    )
    p.add_argument("incidents", help="CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet of incidents")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument(
        "--choropleth", action="store_true", help="shade areas by their number of incidents"
    )
    p.add_argument(
        "--by", choices=["province", "district"], help="areas of --choropleth (default province)"
    )
    p.add_argument(
        "--weight",
        help="a numeric column, e.g. killed: shades --choropleth areas by its sum; "
        "on the incident map, adds a heat layer weighted by it",
    )
    p.add_argument("--title", help="a title shown on the map")
    p.add_argument(
        "--online-tiles",
        action="store_true",
        help="add an OpenStreetMap basemap (shown only with a network)",
    )
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser(
        "gazetteer",
        help="add, download, list or remove user gazetteers",
        description=f"User gazetteers add villages and sites to geocoding. They are "
        f"compiled into {data_dir() / 'gazetteers'} ($AFGHANGEO_DATA_DIR overrides).",
    )
    gaz = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = gaz.add_parser("add", help="add GeoNames dumps (AF.zip, AF.txt) or CSVs of places")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.set_defaults(func=_cmd_gazetteer_add)
    q = gaz.add_parser("list", help="list the user gazetteers")
    q.set_defaults(func=_cmd_gazetteer_list)
    q = gaz.add_parser("remove", help="remove user gazetteers")
    q.add_argument("names", nargs="*", metavar="NAME", help="as shown by `gazetteer list`")
    q.add_argument("--all", action="store_true", help="remove every user gazetteer")
    q.set_defaults(func=_cmd_gazetteer_remove)
    q = gaz.add_parser(
        "download",
        help="download GeoNames' dump of Afghanistan and add it (uses the network)",
        description="Download a GeoNames country dump and add it as a user gazetteer. "
        "Offline? Download AF.zip from https://download.geonames.org/export/dump/ "
        "elsewhere and run `afghangeo gazetteer add AF.zip`.",
    )
    q.add_argument("--url", help="download this instead of the GeoNames dump of --country")
    q.add_argument("--country", default="AF", help="GeoNames country code (default AF)")
    q.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    q.set_defaults(func=_cmd_gazetteer_download)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["normalize", "Hilmand"])
    Helmand
    0
    """
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (AfghangeoError, OSError, ImportError) as err:
        print(f"afghangeo: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afghangeo: interrupted", file=sys.stderr)
        return 130
