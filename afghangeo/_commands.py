"""What each ``afghangeo`` subcommand does, over the public functions.

Every command returns its exit status (0 ok, 1 no result); tables go through
:func:`afghangeo._output.write_table` (CSV when piped, an aligned table on a
terminal, or the format of ``-o``'s extension); messages go to standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from afghangeo._columns import ROLES
from afghangeo._output import write_table
from afghangeo._vocab import PLACED_STATUSES, UNLOCATED
from afghangeo.admin import districts, normalize_district, normalize_province, provinces
from afghangeo.batch import geocode_many
from afghangeo.corpus import extract_corpus
from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import DataError, InvalidInputError
from afghangeo.extract import MENTION_COLUMNS, extract_incidents, extract_places
from afghangeo.incidents import read_incidents
from afghangeo.locate import locate
from afghangeo.registry import add_gazetteer, data_dir, list_gazetteers, remove_gazetteer

__all__ = ["COMMANDS", "parse_columns", "read_articles", "read_text"]


def _emit(args: argparse.Namespace, table: pd.DataFrame, *, geo: Any = None) -> None:
    """Write `table` (or the GeoDataFrame `geo` for spatial formats) where asked."""
    output = getattr(args, "output", None) or "-"
    fmt = getattr(args, "format", None)
    spatial = (fmt or Path(str(output)).suffix.lstrip(".").lower()) in ("geojson", "gpkg")
    write_table(
        geo if spatial and geo is not None else table,
        output,
        format=fmt,
        neutralize=not getattr(args, "raw", False),
    )
    if output != "-":
        print(f"wrote {len(table):,} rows to {output}", file=sys.stderr)


def parse_columns(items: list[str] | None) -> dict[str, Hashable | None] | None:
    """``["place=village", "lat="]`` → ``{"place": "village", "lat": None}``."""
    if not items:
        return None
    out: dict[str, Hashable | None] = {}
    for item in items:
        role, sep, column = item.partition("=")
        role = role.strip()
        if not sep or role not in ROLES:
            import difflib

            near = difflib.get_close_matches(role, list(ROLES), n=1)
            hint = f" Did you mean {near[0]!r}?" if near else ""
            msg = (
                f"--columns takes ROLE=COLUMN with a role among {', '.join(ROLES)}; "
                f"got {item!r}.{hint}"
            )
            raise InvalidInputError(msg)
        out[role] = column.strip() or None
    return out


def _fallback(args: argparse.Namespace) -> Any:
    service = getattr(args, "online", None)
    if not service:
        return None
    from afghangeo.online import fallback_for

    return fallback_for(service)


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "columns": parse_columns(getattr(args, "columns", None)),
        "encoding": getattr(args, "encoding", None),
        "on_bad_rows": "skip" if getattr(args, "skip_bad_rows", False) else "raise",
        "fallback": _fallback(args),
    }


def _cmd_provinces(args: argparse.Namespace) -> int:
    _emit(args, provinces().drop(columns=["geometry", "adm1_source_id"]), geo=provinces())
    return 0


def _cmd_districts(args: argparse.Namespace) -> int:
    layer = districts()
    if args.province:
        layer = layer[layer["province"] == normalize_province(args.province)]
    shown = ["name", "province", "code", "area_km2", "aliases"]
    _emit(args, pd.DataFrame(layer[shown]), geo=layer[[*shown, "geometry"]])
    return 0


def _cmd_locate(args: argparse.Namespace) -> int:
    table = locate(lon=[args.lon], lat=[args.lat])
    table.insert(0, "lat", args.lat)
    table.insert(0, "lon", args.lon)
    _emit(args, table)
    return 0 if table["status"].iloc[0] == "ok" else 1


def _cmd_normalize(args: argparse.Namespace) -> int:
    if args.district:
        print(normalize_district(args.name, province=args.province))
    else:
        print(normalize_province(args.name))
    return 0


def _progress(args: argparse.Namespace) -> bool | None:
    return None if getattr(args, "output", None) not in (None, "-") else False


def _cmd_count(args: argparse.Namespace) -> int:
    incidents = read_incidents(args.incidents, progress=_progress(args), **_read_options(args))
    counter = count_by_district if args.level == "district" else count_by_province
    weight: Hashable | bool | None = False if args.no_weight else args.weight
    table = counter(incidents, weight=weight, freq=args.freq, unit=args.unit)
    _emit(args, table)
    unlocated = int(table.loc[table["province"] == UNLOCATED, "count"].sum())
    return 0 if int(table["count"].sum()) > unlocated else 1


def _cmd_gazetteer_add(args: argparse.Namespace) -> int:
    for name in args.files:
        info = add_gazetteer(name, replace=args.replace)
        print(f"added {name}: {info} (stored in {info.path.parent})", file=sys.stderr)
    return 0


def _cmd_gazetteer_list(args: argparse.Namespace) -> int:
    installed = list_gazetteers()
    folder = data_dir() / "gazetteers"
    if not installed:
        print(f"no user gazetteers in {folder}", file=sys.stderr)
        return 0
    rows = [
        {"name": g.name, "file": g.path.name, "places": g.places, "merged": g.merged}
        for g in installed
    ]
    print(f"user gazetteers in {folder}:", file=sys.stderr)
    write_table(pd.DataFrame(rows), "-", format="table")
    return 0


def _cmd_gazetteer_remove(args: argparse.Namespace) -> int:
    removed = remove_gazetteer(args.names, all=args.all)
    for info in removed:
        print(f"removed {info.path.name}", file=sys.stderr)
    if not removed:
        print("no user gazetteers to remove", file=sys.stderr)
    return 0


def _cmd_gazetteer_download(args: argparse.Namespace) -> int:
    from afghangeo.download import geonames_url, install_geonames

    url = args.url or geonames_url(args.country)
    print(f"downloading {url}", file=sys.stderr)
    progress = False if args.no_progress else None
    path, info = install_geonames(url, progress=progress, timeout=args.timeout)
    print(f"added {path}: {info} (stored in {info.path.parent})", file=sys.stderr)
    return 0


def read_text(source: str) -> str:
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
    lines = (line.strip() for line in read_text(source).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _geocode_names(args: argparse.Namespace) -> int:
    if args.column or args.columns:
        msg = "--column/--columns are for tables; a .txt file (or -) is one name per line."
        raise InvalidInputError(msg)
    province = normalize_province(args.province) if args.province else None
    table = geocode_many(_read_names(args.input), provinces=province, fallback=_fallback(args))
    _emit(args, table)
    found = int((table["status"] == "matched").sum())
    print(f"located {found:,} of {len(table):,}", file=sys.stderr)
    return 0 if found else 1


def _geocode_table(args: argparse.Namespace) -> int:
    options = _read_options(args)
    if args.column:
        options["columns"] = {**(options["columns"] or {}), "place": args.column}
    incidents = read_incidents(
        args.input, progress=_progress(args), default_province=args.province, **options
    )
    table = pd.DataFrame(incidents.drop(columns=["geometry", "point"]))
    table = table.rename(columns={c: f"{c}_input" for c in ("latitude", "longitude") if c in table})
    at = list(table.columns).index("district") + 1
    points = incidents["point"]
    table.insert(at, "latitude", points.y.where(points.notna()).round(6).to_numpy(float))
    table.insert(at + 1, "longitude", points.x.where(points.notna()).round(6).to_numpy(float))
    _emit(args, table, geo=incidents.drop(columns="point"))
    located = int(table["status"].isin(PLACED_STATUSES).sum())
    print(f"located {located:,} of {len(table):,}", file=sys.stderr)
    return 0 if located else 1


def _cmd_geocode(args: argparse.Namespace) -> int:
    is_names = args.input == "-" or Path(args.input).suffix.lower() == ".txt"
    return _geocode_names(args) if is_names else _geocode_table(args)


def _cmd_map(args: argparse.Namespace) -> int:
    from afghangeo.maps import choropleth_map, incident_map, save_map

    incidents = read_incidents(args.incidents, progress=False, **_read_options(args))
    tiles = "OpenStreetMap" if args.online_tiles else None
    if args.choropleth or args.level:
        level: Literal["province", "district"] = (
            "district" if args.level == "district" else "province"
        )
        m = choropleth_map(
            incidents, args.weight or "count", level=level, title=args.title, tiles=tiles
        )
    else:
        m = incident_map(incidents, heat=args.weight or False, title=args.title, tiles=tiles)
    path = save_map(m, args.output, offline=True)
    n = len(incidents)
    unlocated = int((~incidents["status"].isin(PLACED_STATUSES)).sum())
    size = os.path.getsize(path) / 1024
    print(
        f"wrote {path} ({n:,} incidents, {n - unlocated:,} located, "
        f"{unlocated:,} unlocated; {size:,.0f} KB)",
        file=sys.stderr,
    )
    return 0


# --- extract: articles from text files, folders, JSON Lines, standard input ---------------

_JSON_LINES = (".jsonl", ".ndjson")


def _warn(message: str) -> None:
    print(f"afghangeo: warning: {message}", file=sys.stderr)


def _json_record(line: str | bytes) -> dict[str, Any] | str | None:
    """The article of one line of JSON Lines, None for a blank line, or what is wrong."""
    try:
        text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
    except UnicodeDecodeError as err:
        return f"not UTF-8 ({err.reason})"
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except ValueError as err:
        return f"not JSON ({err})"
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return "not an object with a 'text' string"
    return record


def _json_articles(lines: Iterable[str | bytes], name: str) -> Iterator[dict[str, Any]]:
    """The articles of JSON Lines (`text`, `published`, `source`); a bad line is warned of."""
    for number, line in enumerate(lines, start=1):
        record = _json_record(line)
        if isinstance(record, str):
            _warn(f"{name} line {number}: {record}; left out")
        elif record is not None:
            record["source"] = record.get("source") or f"{name}:{number}"
            yield record


def _file_lines(source: str) -> Iterator[bytes]:
    try:
        with Path(source).open("rb") as f:
            yield from f
    except OSError as err:
        msg = f"Cannot read {source!r}: {err.strerror or err}."
        raise DataError(msg) from err


def _folder_articles(folder: Path) -> Iterator[dict[str, Any]]:
    """The .txt files under `folder`, in order; one that is not UTF-8 is warned of."""
    paths = sorted(folder.rglob("*.txt"))
    if not paths:
        _warn(f"no .txt files in {str(folder)!r}")
    for path in paths:
        try:
            yield {"text": read_text(str(path)), "source": path.relative_to(folder).as_posix()}
        except DataError as err:
            _warn(f"{err} Left out.")


def _stdin_articles() -> Iterator[dict[str, Any]]:
    """Standard input: JSON Lines if it starts with ``{``, else one article."""
    text = sys.stdin.read()
    if text.lstrip().startswith("{"):
        yield from _json_articles(text.split("\n"), "stdin")
    else:
        yield {"text": text, "source": "-"}


def read_articles(sources: list[str]) -> Iterator[dict[str, Any]]:
    """Articles (dicts with ``text``, ``source`` and maybe ``published``), read lazily."""
    for source in sources:
        if source == "-":
            yield from _stdin_articles()
        elif Path(source).is_dir():
            yield from _folder_articles(Path(source))
        elif Path(source).suffix.lower() in _JSON_LINES:
            yield from _json_articles(_file_lines(source), source)
        else:
            yield {"text": read_text(source), "source": source}


def _mention_rows(article: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in extract_places(article["text"]):
        row = {"source": article["source"], **m.to_dict()}
        if isinstance(row.get("alternatives"), list):
            row["alternatives"] = "|".join(map(str, row["alternatives"]))
        rows.append(row)
    return rows


def _report(table: pd.DataFrame) -> None:
    """Failed articles, one line each, and a line of counts, on standard error."""
    for error in table.attrs["errors"]:
        _warn(f"{error['source'] or error['article']}: {error['error']}; left out")
    n = table.attrs["articles"]
    incidents = len(table[["article", "incident"]].drop_duplicates())
    print(
        f"{n['read']:,} articles: {n['with_incidents']:,} with incidents ({incidents:,} "
        f"incidents at {len(table):,} places), {n['without_incidents']:,} without, "
        f"{n['failed']:,} failed; {len(table.attrs['facts']):,} national figures",
        file=sys.stderr,
    )


def _cmd_extract(args: argparse.Namespace) -> int:
    articles = read_articles(args.articles)
    if args.places:
        rows = [row for article in articles for row in _mention_rows(article)]
        table = pd.DataFrame(rows, columns=["source", *MENTION_COLUMNS])
        _emit(args, table)
        return 0 if len(table) else 1
    if args.published:
        extract_incidents("", published=args.published)  # a bad date fails here, once
    table = extract_corpus(articles, default_published=args.published, progress=_progress(args))
    _report(table)
    _emit(args, table)
    return 0 if len(table) else 1


COMMANDS = {
    "provinces": _cmd_provinces,
    "districts": _cmd_districts,
    "locate": _cmd_locate,
    "normalize": _cmd_normalize,
    "count": _cmd_count,
    "geocode": _cmd_geocode,
    "map": _cmd_map,
    "extract": _cmd_extract,
    "gazetteer add": _cmd_gazetteer_add,
    "gazetteer list": _cmd_gazetteer_list,
    "gazetteer remove": _cmd_gazetteer_remove,
    "gazetteer download": _cmd_gazetteer_download,
}
