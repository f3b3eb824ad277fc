"""The ``afghangeo`` command line: a thin layer over the public functions.

Data goes to standard output, messages to standard error. Exit status: 0 ok,
1 no result, 2 usage error or an :class:`~afghangeo.errors.AfghangeoError`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from afghangeo import __version__
from afghangeo.admin import (
    districts,
    locate,
    normalize_district,
    normalize_province,
    provinces,
)
from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import AfghangeoError
from afghangeo.incidents import read_incidents

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

    p = sub.add_parser("count", help="count incidents per province (or district, period)")
    p.add_argument("incidents", help="CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet of incidents")
    p.add_argument("--by", choices=["province", "district"], default="province")
    p.add_argument("--freq", help="a pandas period alias: D, W, M, Q, Y")
    p.add_argument("--weight", help="a numeric column to sum too, e.g. fatalities")
    p.add_argument("-o", "--output", help="write CSV here instead of printing a table")
    p.set_defaults(func=_cmd_count)
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
    except (AfghangeoError, OSError) as err:
        print(f"afghangeo: error: {err}", file=sys.stderr)
        return 2
