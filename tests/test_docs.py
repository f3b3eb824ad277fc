"""The documentation: it builds with no broken reference, and says what the code does.

The Sphinx build needs the ``docs`` extra (sphinx, numpydoc, myst-parser, furo) and
is skipped without it; the precision table is checked against the code either way.
"""

from __future__ import annotations

import html
import importlib.util
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import afghangeo as ag
from afghangeo._columns import precision_codes

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PRECISION_PAGE = DOCS / "guide" / "precision.md"
BUILD_NEEDS = ("sphinx", "numpydoc", "myst_parser", "furo")

# Every code of each source's scale, and what afghangeo makes of it.
EXPECTED_ROWS = [
    ("ACLED", "geo_precision", "1", "place"),
    ("ACLED", "geo_precision", "2", "district"),
    ("ACLED", "geo_precision", "3", "province"),
    ("UCDP GED", "where_prec", "1", "place"),
    ("UCDP GED", "where_prec", "2", "place"),
    ("UCDP GED", "where_prec", "3", "district"),
    ("UCDP GED", "where_prec", "4", "province"),
    ("UCDP GED", "where_prec", "5", "unlocated"),
    ("UCDP GED", "where_prec", "6", "unlocated"),
    ("UCDP GED", "where_prec", "7", "unlocated"),
]
_WORDS = {0: "none", 1: "place", 2: "district", 3: "province"}


def _code_says(column: str, code: str) -> str:
    """What ``precision_codes`` makes of one value of a column, as the table's word."""
    levels, unlocated = precision_codes(pd.Series([int(code)]), column)
    return "unlocated" if bool(unlocated[0]) else _WORDS[int(levels[0])]


def _markdown_rows(path: Path) -> list[tuple[str, ...]]:
    """(source, column, code, afghangeo precision) of each row of the page's table."""
    rows: list[tuple[str, ...]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ("ACLED", "UCDP GED"):
            rows.append((cells[0], cells[1], cells[2], cells[4]))
    return rows


class _Cells(HTMLParser):
    """The text of each table row of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize(("source", "column", "code", "precision"), EXPECTED_ROWS)
def test_precision_table_matches_the_code(
    source: str, column: str, code: str, precision: str
) -> None:
    assert _code_says(column, code) == precision
    assert (source, column, code, precision) in _markdown_rows(PRECISION_PAGE)


def test_precision_table_has_no_row_the_code_contradicts() -> None:
    rows = _markdown_rows(PRECISION_PAGE)
    assert len(rows) == len(EXPECTED_ROWS)
    for _source, column, code, precision in rows:
        assert _code_says(column, code) == precision, (column, code)


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML site, built offline with warnings (and broken references) as errors."""
    missing = [name for name in BUILD_NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"the docs extra is not installed (no {', '.join(missing)})")
    out = tmp_path_factory.mktemp("docs")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
        "-d", str(out / "doctrees"), str(DOCS), str(out / "html"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-5000:]
    return out / "html"


def test_api_page_lists_every_public_name(built_docs: Path) -> None:
    page = (built_docs / "_generated" / "api.html").read_text(encoding="utf-8")
    for name in ag.__all__:
        if name == "__version__":
            assert "ag.__version__" in html.unescape(page)
            continue
        assert f'href="api/afghangeo.{name}.html' in page, name
        assert (built_docs / "_generated" / "api" / f"afghangeo.{name}.html").exists(), name


def test_precision_page_has_the_acled_and_ucdp_rows(built_docs: Path) -> None:
    parser = _Cells()
    parser.feed((built_docs / "guide" / "precision.html").read_text(encoding="utf-8"))
    rows = {(r[0], r[1], r[2], r[4]) for r in parser.rows if len(r) == 5}
    for row in EXPECTED_ROWS:
        assert row in rows, row


def test_cli_reference_has_every_subcommand(built_docs: Path) -> None:
    page = html.unescape((built_docs / "_generated" / "cli_help.html").read_text("utf-8"))
    for command in ("provinces", "locate", "count", "geocode", "map", "extract"):
        assert f"usage: afghangeo {command} " in page, command
    for action in ("add", "list", "remove", "download"):
        assert f"usage: afghangeo gazetteer {action} " in page, action
