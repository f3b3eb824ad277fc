"""Tests for reading table files (afghangeo._csv via afghangeo._columns.load_table).

The malformed files of the reliability review (F02, F08, F11, F17) are rebuilt here
byte for byte in tmp_path.
"""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afghangeo import cli
from afghangeo._columns import load_table
from afghangeo._csv import read_csv, replace_surrogates, without_surrogates
from afghangeo.errors import AfghangeoError, DataError, DroppedRowsWarning, InvalidInputError
from afghangeo.incidents import read_incidents

DARI = "location,admin1\nلشکرگاه,هلمند\n"

# name, file name, content, expected {column: values}
READABLE: list[tuple[str, str, bytes, dict[str, list[Any]]]] = [
    ("F02 trailing comma", "inc.csv",
     b"location,latitude,longitude\nKabul,34.53,69.17,\nHerat,34.34,62.20,\n",
     {"location": ["Kabul", "Herat"], "latitude": [34.53, 34.34], "longitude": [69.17, 62.2]}),
    ("trailing comma in the header too", "inc.csv", b"place,killed,\nNawa,3,\nGarmser,1,\n",
     {"place": ["Nawa", "Garmser"], "killed": [3, 1]}),
    ("trailing comma on some rows", "inc.csv", b"place,killed\nNawa,3,\nGarmser,1\n",
     {"place": ["Nawa", "Garmser"], "killed": [3, 1]}),
    ("F17 semicolons", "semi.csv", b"location;admin1\nNawa;Helmand\n",
     {"location": ["Nawa"], "admin1": ["Helmand"]}),
    ("semicolons and decimal commas", "semi.csv", b"place;lat\nNawa;31,6\n",
     {"place": ["Nawa"], "lat": ["31,6"]}),
    ("tabs in a .csv", "tab.csv", b"location\tadmin1\nNawa\tHelmand\n",
     {"location": ["Nawa"], "admin1": ["Helmand"]}),
    ("tabs in a .tsv", "tab.tsv", b"location\tadmin1\nNawa, Helmand\tHelmand\n",
     {"location": ["Nawa, Helmand"], "admin1": ["Helmand"]}),
    ("pipes", "pipe.csv", b"location|admin1\nNawa|Helmand\n",
     {"location": ["Nawa"], "admin1": ["Helmand"]}),
    ("commas win over semicolons in text", "c.csv", b"place,note\nNawa,a;b\nGarmser,c;d\n",
     {"place": ["Nawa", "Garmser"], "note": ["a;b", "c;d"]}),
    ("UTF-8 byte-order mark", "bom.csv", b"\xef\xbb\xbf" + DARI.encode(),
     {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("F17 UTF-16 (Excel Unicode text)", "u16.csv", DARI.encode("utf-16"),
     {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("UTF-16 big-endian", "u16.csv", b"\xfe\xff" + DARI.encode("utf-16-be"),
     {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("UTF-16 without a mark", "u16.csv", DARI.encode("utf-16-le"),
     {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("UTF-16 big-endian without a mark", "u16.csv", DARI.encode("utf-16-be"),
     {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("UTF-32", "u32.csv", DARI.encode("utf-32"), {"location": ["لشکرگاه"], "admin1": ["هلمند"]}),
    ("Windows line ends", "crlf.csv", b"place,killed\r\nNawa,3\r\n",
     {"place": ["Nawa"], "killed": [3]}),
    ("header only", "head.csv", b"place,killed\n", {"place": [], "killed": []}),
    ("blank lines", "blank.csv", b"\nplace,killed\n\nNawa,3\n\n",
     {"place": ["Nawa"], "killed": [3]}),
    ("short rows are padded", "short.csv", b"place,killed\nNawa\n",
     {"place": ["Nawa"], "killed": [None]}),
    ("a quoted cell over two lines", "q.csv", b'place,note\nNawa,"two\nlines"\n',
     {"place": ["Nawa"], "note": ["two\nlines"]}),
    ("one column", "one.csv", b"place\nNawa\nGarmser\n", {"place": ["Nawa", "Garmser"]}),
]  # fmt: skip


def _values(frame: pd.DataFrame) -> dict[str, list[Any]]:
    return {str(c): [None if pd.isna(v) else v for v in frame[c].astype(object)] for c in frame}


@pytest.mark.parametrize(("name", "content", "expected"),
                         [(f, c, e) for _, f, c, e in READABLE],
                         ids=[case[0] for case in READABLE])  # fmt: skip
def test_malformed_but_readable_files(
    tmp_path: Path, name: str, content: bytes, expected: dict[str, list[Any]]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    frame = load_table(path)
    assert _values(frame) == expected
    assert isinstance(frame.index, pd.RangeIndex)


# name, file name, content, error class, message pattern
REFUSED: list[tuple[str, str, bytes, type[Exception], str]] = [
    ("F11 empty file", "empty.csv", b"", DataError, r"'.*empty\.csv' is empty: it has no header"),
    ("blank file", "blank.csv", b"\n \r\n", DataError, "is empty"),
    ("F17 cp1256", "fa.csv", DARI.encode("cp1256"), DataError,
     r"is not UTF-8 text \(byte 0x..\); save it as UTF-8 .*encoding='cp1256'"),
    ("F11 Latin-1", "latin1.csv", "name,latitude,longitude\nQalé,31.6,64.4\n".encode("latin-1"),
     DataError, r"not UTF-8 text \(byte 0xe9\); save it as UTF-8 .*encoding='latin-1'"),
    ("F11 binary", "bin.csv", bytes(range(256)) * 2, DataError, "not a text table|not UTF-8"),
    ("NUL bytes", "nul.csv", b"place,killed\nNa\x00wa,3\n", DataError, "NUL bytes"),
    ("unclosed quote", "q.csv", b'place,note\nNawa,"open\n', DataError, "unclosed quote"),
    ("F11 ragged", "ragged.csv", b"name,latitude,longitude\nA,31.6,64.4\nB,31.6,64.4,9\n",
     DataError, r"1 row\(s\) have more fields than the header \(line 3\); .*on_bad_rows='skip' "
                r"to keep the 1 good rows"),
    ("trailing comma only after the first row (not yet read)", "late.csv",
     b"place,killed\nNawa,3\nGarmser,1,\n", DataError, r"1 row\(s\) .*\(line 3\)"),
    ("extra value on the first row", "first.csv", b"place,killed\nNawa,3,9\nGarmser,1\n",
     DataError, r"\(line 2\)"),
    ("unknown suffix", "inc.dat", b"a,b\n", InvalidInputError, "unknown file type '.dat'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "error", "match"),
                         [(f, c, e, m) for _, f, c, e, m in REFUSED],
                         ids=[case[0] for case in REFUSED])  # fmt: skip
def test_unreadable_files_raise_one_line(
    tmp_path: Path, name: str, content: bytes, error: type[Exception], match: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=match) as info:
        load_table(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("encoding", "text"), [("cp1256", DARI), ("latin-1", "name\nQalé\n")])
def test_encoding_option_reads_other_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    frame = load_table(path, encoding=encoding)
    assert frame.iloc[0, 0] == text.splitlines()[1].split(",")[0]


def test_wrong_encoding_option_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"name\n\xff\xfe\xfd\n")
    with pytest.raises(DataError, match=r"Cannot read .* as utf-8"):
        load_table(path, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="Unknown encoding 'klingon'"):
        load_table(path, encoding="klingon")


def test_bad_option_values_raise() -> None:
    with pytest.raises(InvalidInputError, match="on_bad_rows must be one of"):
        read_csv(b"a\n1\n", on_bad_rows="ignore")  # type: ignore[arg-type]


def _ragged(rows: int, every: int) -> bytes:
    lines = ["date,location,admin1,latitude,longitude,fatalities"]
    for i in range(rows):
        extra = ",x" if i % every == every - 1 else ""
        lines.append(f"2020-01-01,Nawa,Helmand,31.6,64.4,{i % 3}{extra}")
    return ("\n".join(lines) + "\n").encode()


def test_f17_ragged_rows_raise_with_count_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(_ragged(20_000, 1_000))
    with pytest.raises(DataError) as info:
        load_table(path)
    message = str(info.value)
    assert "20 row(s) have more fields than the header" in message
    assert "(line 1001, 2001, 3001, 4001, 5001, ...)" in message
    assert "on_bad_rows='skip' to keep the 19,980 good rows" in message


def test_f17_skip_keeps_good_rows_and_counts_the_others(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(_ragged(20_000, 1_000))
    with pytest.warns(DroppedRowsWarning) as caught:
        frame = load_table(path, on_bad_rows="skip")
    assert len(frame) == 19_980
    assert list(frame.columns)[-1] == "fatalities"
    warning = caught[0].message
    assert isinstance(warning, DroppedRowsWarning)
    assert warning.count == 20
    assert warning.lines == (1001, 2001, 3001, 4001, 5001)
    assert "left out 20 row(s) that have more fields than the header" in str(warning)


def test_skip_drops_rows_with_many_extra_fields_too() -> None:
    raw = b"a,b\n1,2,3\n4,5\n6,7,8,9,10\n11,12\n"
    with pytest.warns(DroppedRowsWarning, match=r"left out 2 row\(s\).*\(line 2, 4\)"):
        frame = read_csv(raw, on_bad_rows="skip")
    assert frame.to_dict("list") == {"a": [4, 11], "b": [5, 12]}


def test_dtype_options_as_pandas() -> None:
    frame = read_csv(b"name,id\nNA,007\n,1\n", dtype=str, keep_default_na=False)
    assert frame.to_dict("list") == {"name": ["NA", ""], "id": ["007", "1"]}
    frame = read_csv(b"name,id\nNA,007\n,1\n", dtype=str, keep_default_na=False, na_values=[""])
    assert frame["name"].isna().tolist() == [False, True]


def test_f02_gazetteer_style_read_of_bytes() -> None:
    """As user_gazetteer reads a CSV it holds as bytes (F02's second reproducer)."""
    raw = b"name,latitude,longitude\nDehqanan,31.6,64.4,\n"
    frame = read_csv(raw, name="gaz.csv", dtype=str, keep_default_na=False, na_values=[""])
    assert frame.to_dict("list") == {"name": ["Dehqanan"], "latitude": ["31.6"],
                                     "longitude": ["64.4"]}  # fmt: skip


def test_f02_trailing_commas_read_incidents(tmp_path: Path) -> None:
    path = tmp_path / "inc.csv"
    path.write_text("location,latitude,longitude\nKabul,34.53,69.17,\nHerat,34.34,62.20,\n")
    out = read_incidents(path)
    assert out["location"].tolist() == ["Kabul", "Herat"]
    assert out["status"].astype(object).tolist() == ["located", "located"]
    assert out.index.tolist() == [0, 1]


def test_f17_semicolon_file_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("location;admin1\nNawa;Helmand\n")
    assert read_incidents(path)["province"].tolist() == ["Helmand"]


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"place;killed\nNawa;3\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert load_table("-").to_dict("list") == {"place": ["Nawa"], "killed": [3]}


# --- surrogates (F08) ----------------------------------------------------------------


def test_f08_surrogates_in_cells_and_names_become_replacement_characters() -> None:
    frame = pd.DataFrame(
        [["Kab\ud800ul"], [3], [None]],
        columns=pd.Index(["pla\udc80ce"], dtype=object),
        dtype=object,
    )
    out = load_table(frame)
    assert list(out.columns) == ["pla\ufffdce"]
    assert out.iloc[:, 0].tolist()[:2] == ["Kab\ufffdul", 3]
    assert frame.iloc[0, 0] == "Kab\ud800ul"  # the caller's frame is not changed


def test_frame_without_surrogates_is_returned_as_is() -> None:
    frame = pd.DataFrame({"place": ["Kabul"]}, dtype=object)
    assert without_surrogates(frame) is frame
    assert replace_surrogates("\ud83d\ude00") == "\ufffd\ufffd"


def test_f08_read_incidents_accepts_surrogates() -> None:
    frame = pd.DataFrame({"place": ["Kab\ud800ul", "Nawa"]}, dtype=object)
    out = read_incidents(frame)
    assert out["place"].tolist() == ["Kab\ufffdul", "Nawa"]


# --- damaged binary and vector files (F11) ------------------------------------------


def _points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"place": ["Nawa", "Garmser"]}, geometry=gpd.points_from_xy([64.4, 64.1], [31.6, 31.2]),
        crs=4326,
    )  # fmt: skip


def _valid(suffix: str, path: Path) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
        _points().drop(columns="geometry").to_excel(path, index=False)
    elif suffix == ".parquet":
        pytest.importorskip("pyarrow")
        _points().to_parquet(path)
    else:
        _points().to_file(path, engine="pyogrio")


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet", ".xlsx"])
@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_f11_damaged_files_raise_one_data_error_line(
    tmp_path: Path, suffix: str, damage: str
) -> None:
    path = tmp_path / f"t{suffix}"
    _valid(suffix, path)
    content = path.read_bytes()
    damaged = {"truncated": content[: len(content) // 2], "garbage": b"\x00garbage" * 50,
               "empty": b""}[damage]  # fmt: skip
    path.write_bytes(damaged)
    with pytest.raises(
        DataError, match=rf"Cannot read '.*t\{suffix}': it is not a readable"
    ) as info:
        load_table(path)
    assert "\n" not in str(info.value)
    assert "export it again" in str(info.value)
    kind = {".geojson": "GeoJSON file", ".gpkg": "GeoPackage", ".parquet": "Parquet file",
            ".xlsx": "Excel workbook"}[suffix]  # fmt: skip
    assert f"it is not a readable {kind} (" in str(info.value)


def test_f11b_cli_count_of_a_damaged_geojson_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":')
    assert cli.main(["count", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("afghangeo: error: Cannot read ")
    assert err.count("\n") == 1


def test_json_records_and_geojson_both_read(tmp_path: Path) -> None:
    records = tmp_path / "r.json"
    records.write_text('[{"place": "Nawa", "killed": 3}]')
    assert load_table(records).to_dict("list") == {"place": ["Nawa"], "killed": [3]}
    geo = tmp_path / "g.json"
    _points().to_file(geo, driver="GeoJSON", engine="pyogrio")
    assert isinstance(load_table(geo), gpd.GeoDataFrame)


# --- properties ----------------------------------------------------------------------

SUFFIXES = [".csv", ".tsv", ".txt", ".json", ".geojson", ".xlsx", ".parquet", ".gpkg"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(alphabet=st.sampled_from(',;\t|"\n\r ab1.=\x00é'), max_size=120).map(str.encode),
    ),
    suffix=st.sampled_from(SUFFIXES),
    skip=st.booleans(),
)
def test_any_bytes_give_a_frame_or_an_afghangeo_error(
    tmp_path: Path, content: bytes, suffix: str, skip: bool
) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    message = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedRowsWarning)
        try:
            frame: object = load_table(path, on_bad_rows="skip" if skip else "raise")
        except AfghangeoError as err:
            frame, message = None, str(err)
    assert isinstance(frame, pd.DataFrame) or (message and "\n" not in message)
