from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from afghangeo._files import STALE_SECONDS, write_atomic


def test_write_atomic_text_and_bytes(tmp_path: Path) -> None:
    assert write_atomic(tmp_path / "a.txt", "one\ntwo\n").read_text() == "one\ntwo\n"
    assert write_atomic(tmp_path / "b.bin", b"\x00\x01").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_write_atomic_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")

    with pytest.raises(TypeError):
        write_atomic(target, 12)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_stale_temp_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    stale = tmp_path / ".map.html.abc123.tmp"
    fresh = tmp_path / ".map.html.def456.tmp"  # another writer, still at work
    other = tmp_path / ".other.html.xyz.tmp"
    for p in (stale, fresh, other):
        p.write_text("partial")
    old = time.time() - STALE_SECONDS - 10
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, "done")
    assert not stale.exists()
    assert fresh.exists() and other.exists()
