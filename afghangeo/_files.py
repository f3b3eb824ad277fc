"""Writing files atomically: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask  # as open() would create it (mkstemp makes 0600)


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
