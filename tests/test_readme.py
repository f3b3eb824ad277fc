"""The README's quick start runs as written, in a fresh interpreter, offline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_starts_with_the_two_commands() -> None:
    first = _blocks("sh")[0].splitlines()
    assert first[0].startswith("pip install . && afghangeo ")
    assert first[1].startswith("pip install '.[test]' && ") and "python -m pytest" in first[1]


def test_the_python_quick_start_runs(tmp_path: Path) -> None:
    (code,) = [b for b in _blocks("python") if "import afghangeo as ag" in b][:1]
    guard = (
        "import socket\n"
        "def _refuse(*a, **k):\n"
        "    raise OSError('network access in the README quick start')\n"
        "socket.socket.connect = _refuse\n"
        "import os\n"
        f"os.chdir({str(ROOT)!r})\n"
    )
    script = tmp_path / "quickstart.py"
    # the quick start writes its maps into the working folder: run it from a copy
    body = code.replace('"killed.html"', repr(str(tmp_path / "killed.html")))
    body = body.replace('"incidents.html"', repr(str(tmp_path / "incidents.html")))
    script.write_text(guard + body, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False,
        env={"AFGHANGEO_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "killed.html").stat().st_size > 10_000
    assert (tmp_path / "incidents.html").stat().st_size > 10_000
