"""Writing files atomically: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from pathlib import Path

__all__ = ["STALE_SECONDS", "write_atomic"]

#: A temporary file of ours older than this was left by a killed process: removed.
STALE_SECONDS = 600.0


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask  # as open() would create it (mkstemp makes 0600)


def _remove_stale(path: Path) -> None:
    """Remove temporary files a killed writer of `path` left behind (F18)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for old in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if now - old.stat().st_mtime > STALE_SECONDS:
                    old.unlink()


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write `data` to `path` through a uniquely named temporary file, then rename.

    The temporary file is in the same folder (so the rename is atomic), is fsynced
    before the rename, and is removed if anything fails; an existing file keeps its
    permissions. Text is written as UTF-8 with ``\n`` line ends.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "one\n").read_text()
    'one\n'
    """
    path = Path(path)
    _remove_stale(path)
    mode = _mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
