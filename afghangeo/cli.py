# PYTHON_ARGCOMPLETE_OK
"""The ``afghangeo`` command line: argparse over :mod:`afghangeo._commands`.

Data goes to standard output (CSV when piped, an aligned table on a terminal, or the
format of ``-o``'s extension: csv, json, geojson, gpkg, parquet, xlsx), messages to
standard error, every error as one line. Exit status: 0 ok, 1 no result, 2 an error.
Shell completion: ``eval "$(register-python-argcomplete afghangeo)"`` (argcomplete).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from afghangeo._commands import COMMANDS
from afghangeo._output import FORMATS
from afghangeo._version import __version__
from afghangeo.errors import AfghangeoError

__all__ = ["main"]

_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors, a did-you-mean, and exit status 2."""

    def error(self, message: str) -> NoReturn:
        found = _CHOICE.search(message)
        if found:
            choices = [c.strip(" '") for c in found.group(2).split(",")]
            near = difflib.get_close_matches(found.group(1), choices, n=1)
            if near:
                message += f"; did you mean {near[0]!r}?"
        self.exit(2, f"afghangeo: error: {message} (see {self.prog} --help)\n")


def _out(p: argparse.ArgumentParser, *, raw: bool = True) -> None:
    p.add_argument(
        "-o", "--output", help="write here (format from the extension; - for standard output)"
    )
    p.add_argument("--format", choices=FORMATS, help="the output format (default: from -o)")
    if raw:
        p.add_argument(
            "--raw", action="store_true",
            help="leave cells starting with = + - @ as they are (CSV for programs, not people)",
        )  # fmt: skip


def _reading(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--columns", nargs="+", metavar="ROLE=COLUMN",
        help="map roles to columns, e.g. place=village lat=y lon=x (ROLE= ignores a column)",
    )  # fmt: skip
    p.add_argument("--encoding", help="the file's encoding if not UTF-8 (e.g. cp1256)")
    p.add_argument(
        "--skip-bad-rows", action="store_true",
        help="leave out rows that cannot be read (they are counted) instead of failing",
    )  # fmt: skip
    p.add_argument(
        "--online", choices=["nominatim"],
        help="ask this online geocoder for names afghangeo lacks (uses the network; "
        "rate-limited and cached)",
    )  # fmt: skip


def _run(name: str) -> dict[str, Callable[[argparse.Namespace], int]]:
    return {"func": COMMANDS[name]}


def _add_tables(sub: Any) -> None:
    p = sub.add_parser("provinces", help="list the 34 provinces")
    _out(p)
    p.set_defaults(**_run("provinces"))
    p = sub.add_parser("districts", help="list the districts")
    p.add_argument("--province", help="only the districts of this province (any spelling)")
    _out(p)
    p.set_defaults(**_run("districts"))
    p = sub.add_parser(
        "locate", help="province and district of a point",
        description="Province and district of a point: afghangeo locate --lon 64.37 --lat 31.59",
    )  # fmt: skip
    p.add_argument("--lon", type=float, required=True, help="longitude, degrees east")
    p.add_argument("--lat", type=float, required=True, help="latitude, degrees north")
    _out(p)
    p.set_defaults(**_run("locate"))
    p = sub.add_parser("normalize", help="canonical spelling of a province or district")
    p.add_argument("name", help="a name in any common spelling, code or Dari/Pashto script")
    p.add_argument("--district", action="store_true", help="the name is a district")
    p.add_argument("--province", help="scope a district name to this province")
    p.set_defaults(**_run("normalize"))


def _add_count(sub: Any) -> None:
    p = sub.add_parser("count", help="count incidents per province (or district, period)")
    p.add_argument("incidents", help="CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet, or - for CSV")
    p.add_argument(
        "--level", "--by", choices=["province", "district"], default="province",
        help="count per province (default) or per district",
    )  # fmt: skip
    p.add_argument("--unit", choices=["report", "event"], default="report", help="what to count")
    p.add_argument("--freq", help="a pandas period alias: D, W, M, Q, Y")
    p.add_argument("--weight", help="a numeric column to sum (default: the fatality column)")
    p.add_argument("--no-weight", action="store_true", help="count incidents only")
    _reading(p)
    _out(p)
    p.set_defaults(**_run("count"))


def _add_geocode(sub: Any) -> None:
    p = sub.add_parser(
        "geocode", help="geocode a list of names or a table of incidents",
        description="Geocode a .txt file of names (one a line; - for standard input) or "
        "a table (CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet). Exit status 1 if nothing "
        "was located.",
    )  # fmt: skip
    p.add_argument("input", help="names.txt, - (names on standard input) or a table")
    p.add_argument(
        "--province", help="province of the names (for a table: of the rows that name none)"
    )
    p.add_argument("--column", help="the table's column of place names (default: detected)")
    _reading(p)
    _out(p)
    p.set_defaults(**_run("geocode"))


def _add_map(sub: Any) -> None:
    p = sub.add_parser(
        "map", help="draw incidents on a self-contained HTML map",
        description="Draw a table of incidents as points and shaded areas (or, with "
        "--choropleth, shade provinces or districts by their count) in one HTML file "
        "that opens with no network.",
    )  # fmt: skip
    p.add_argument("incidents", help="CSV/TSV/Excel/GeoJSON/GeoPackage/Parquet of incidents")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--choropleth", action="store_true", help="shade areas by their incidents")
    p.add_argument(
        "--level", "--by", choices=["province", "district"],
        help="areas of --choropleth (default province)",
    )  # fmt: skip
    p.add_argument(
        "--weight",
        help="a numeric column, e.g. killed: shades --choropleth areas by its sum; "
        "on the incident map, adds a heat layer weighted by it",
    )
    p.add_argument("--title", help="a title shown on the map")
    p.add_argument(
        "--online-tiles", action="store_true",
        help="add an OpenStreetMap basemap (shown only with a network)",
    )  # fmt: skip
    _reading(p)
    p.set_defaults(**_run("map"))


def _add_extract(sub: Any) -> None:
    p = sub.add_parser(
        "extract", help="incidents (or place mentions) in article text",
        description="Find the reported attacks in articles: UTF-8 text files, folders of "
        ".txt files (the source is the file's name), JSON Lines files (.jsonl: one object "
        "a line with 'text' and optional 'published' and 'source'; a bad line is warned "
        "of and left out), or - for standard input (JSON Lines if it starts with '{', "
        "else one article). One row per incident and place: article, place, province, "
        "date, killed, wounded, displaced. An article that cannot be read is warned of "
        "and the rest go on. The CSV it writes is read as it is by `afghangeo count` and "
        "`afghangeo map`.",
    )  # fmt: skip
    p.add_argument(
        "articles", nargs="+", help="text files, folders, .jsonl files, or - for standard input"
    )
    p.add_argument(
        "--published",
        help="publication date (e.g. 2020-10-12) for 'late Thursday', 'since Friday', for "
        "articles that give none; else read from a date line in the article",
    )
    p.add_argument("--places", action="store_true", help="list the place mentions instead")
    _out(p)
    p.set_defaults(**_run("extract"))


def _add_gazetteer(sub: Any) -> None:
    from afghangeo.registry import data_dir

    p = sub.add_parser(
        "gazetteer", help="add, download, list or remove user gazetteers",
        description=f"User gazetteers add villages and sites to geocoding. They are "
        f"compiled into {data_dir() / 'gazetteers'} ($AFGHANGEO_DATA_DIR overrides).",
    )  # fmt: skip
    gaz = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = gaz.add_parser("add", help="add GeoNames dumps (AF.zip, AF.txt) or CSVs of places")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.add_argument("--replace", action="store_true", help="remove older copies of the same file")
    q.set_defaults(**_run("gazetteer add"))
    q = gaz.add_parser("list", help="list the user gazetteers")
    q.set_defaults(**_run("gazetteer list"))
    q = gaz.add_parser("remove", help="remove user gazetteers")
    q.add_argument("names", nargs="*", metavar="NAME", help="as shown by `gazetteer list`")
    q.add_argument("--all", action="store_true", help="remove every user gazetteer")
    q.set_defaults(**_run("gazetteer remove"))
    q = gaz.add_parser(
        "download", help="download GeoNames' dump of Afghanistan and add it (uses the network)",
        description="Download a GeoNames country dump and add it as a user gazetteer. "
        "Offline? Download AF.zip from https://download.geonames.org/export/dump/ "
        "elsewhere and run `afghangeo gazetteer add AF.zip`.",
    )  # fmt: skip
    q.add_argument("--url", help="download this instead of the GeoNames dump of --country")
    q.add_argument("--country", default="AF", help="GeoNames country code (default AF)")
    q.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    q.set_defaults(**_run("gazetteer download"))


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``afghangeo`` (for documentation and completion)."""
    p = _Parser(
        prog="afghangeo", description="Afghan place names, boundaries, incident counts and maps."
    )
    p.add_argument("--version", action="version", version=f"afghangeo {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_tables, _add_extract, _add_count, _add_geocode, _add_map, _add_gazetteer):
        add(sub)
    return p


def _warn_one_line(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    print(f"afghangeo: warning: {message}", file=sys.stderr)


def _quiet_pipe() -> int:
    """Standard output was closed (``| head``): stop quietly, as Unix tools do."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["normalize", "Hilmand"])
    Helmand
    0
    """
    p = parser()
    with contextlib.suppress(ImportError):
        import argcomplete

        argcomplete.autocomplete(p)
    args = p.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warn_one_line
            return int(args.func(args))
    except BrokenPipeError:
        return _quiet_pipe()
    except (AfghangeoError, OSError, ImportError) as err:
        print(f"afghangeo: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afghangeo: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug of ours: still one line, exit 2
        print(f"afghangeo: error: internal error ({type(err).__name__}: {_one_line(err)}); "
              "please report it", file=sys.stderr)  # fmt: skip
        return 2


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text.encode("utf-8", "replace").decode("utf-8") if text else type(err).__name__
