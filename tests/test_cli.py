from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from afghangeo.cli import main


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
    assert main(["locate", "31.5938", "64.3716"]) == 0
    assert "Lashkar Gah" in capsys.readouterr().out
    assert main(["locate", "36.297", "59.606"]) == 1  # Mashhad: no result


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
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()[1:]]
    assert len(lines) == 35  # 34 provinces and 'unlocated'
    counts = {row[0]: row for row in lines}
    assert "Helmand" in counts and "Badghis" in counts and "unlocated" in counts


def test_count_a_missing_file_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["count", "no-such-file.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("afghangeo: error:") and "Traceback" not in err
