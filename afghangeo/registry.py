"""One gazetteer registry: the bundle plus the user's gazetteers, behind one version.

A user adds villages with :func:`add_gazetteer` (a GeoNames dump or a CSV); the file is
compiled into the user's data folder (``platformdirs.user_data_dir("afghangeo")``, or
``$AFGHANGEO_DATA_DIR``) and used, with the bundle, by every later geocode. Adding or
removing bumps the registry's :attr:`~Registry.version`; caches of answers are keyed on
it. Another process's changes are noticed through the folder's modification time,
checked at most every :data:`CHECK_SECONDS`, so that a cached look-up never lists the
folder.

Nothing a user adds can break the library: bad rows are skipped and counted, a
district or province row never becomes a village (it adds its spelling to the
boundary entry), rows that repeat a bundled place merge with it, a file in the folder
that is not a compiled gazetteer is ignored with a warning, and an add that yields no
Afghan place fails and leaves what was installed untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from afghangeo import _gazfiles
from afghangeo._checks import check_path
from afghangeo._compiled import combine, compile_rows, merges, read_compiled
from afghangeo._files import write_atomic
from afghangeo.errors import DataError, InvalidInputError
from afghangeo.gazetteer import COLUMNS, Gazetteer

__all__ = [
    "CHECK_SECONDS",
    "GazetteerInfo",
    "Registry",
    "add_gazetteer",
    "data_dir",
    "list_gazetteers",
    "registry",
    "remove_gazetteer",
]

#: How often (seconds) the registry looks whether another process changed the folder.
CHECK_SECONDS = 1.0
_DIGEST = 12  # hex digits of the source file's hash in a compiled file's name


def data_dir() -> Path:
    """Folder for compiled user gazetteers (``$AFGHANGEO_DATA_DIR`` overrides)."""
    override = os.environ.get("AFGHANGEO_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("afghangeo", appauthor=False))


@dataclass(frozen=True)
class GazetteerInfo:
    """One installed user gazetteer, or what adding a file did.

    ``places`` are new entries, ``merged`` rows that added spellings to bundled
    entries, ``skipped`` the rows left out, by reason.
    """

    name: str
    path: Path
    places: int
    merged: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = [f"{self.places:,} places"]
        if self.merged:
            parts.append(f"{self.merged:,} merged into bundled entries")
        left = sum(self.skipped.values())
        if left:
            why = ", ".join(f"{n:,} {reason}" for reason, n in self.skipped.items())
            parts.append(f"{left:,} rows skipped: {why}")
        return "; ".join(parts)


def _name_of(path: Path) -> str:
    stem, _, digest = path.stem.rpartition("-")
    return stem if stem and len(digest) == _DIGEST else path.stem


class Registry:
    """The bundled gazetteer plus the compiled user gazetteers, with a version.

    Thread-safe: :meth:`current` returns one ``(version, Gazetteer)`` pair, and a
    version number always names the same gazetteer.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._version = 0
        self._gazetteer: Gazetteer | None = None
        self._state: tuple[int, Gazetteer] | None = None
        self._signature: tuple[object, ...] | None = None
        self._folder_stamp: object = None
        self._checked = -np.inf
        self._env: str | None = None
        self._caches: dict[str, Any] = {}

    @property
    def folder(self) -> Path:
        """Where compiled user gazetteers are kept."""
        return data_dir() / "gazetteers"

    @property
    def version(self) -> int:
        """A number that changes whenever the gazetteers in use change."""
        return self.current()[0]

    def cache(self, name: str, version: int | None = None) -> dict[object, object]:
        """A dict of answers for the current version (a new one when it changes).

        With `version` (from :meth:`current`), the dict of that version, or a
        throw-away dict if the gazetteers changed since: answers computed with one
        gazetteer never land in another's cache.
        """
        if version is None:
            version = self.current()[0]
        caches = self._caches  # one read: replaced whole when the version changes
        if caches.get("", version) != version:
            return {}
        found = caches.get(name)
        if found is None:
            with self._lock:
                found = self._caches.setdefault(name, {}) if self._caches is caches else {}
        assert isinstance(found, dict)
        return found

    def current(self) -> tuple[int, Gazetteer]:
        """(version, gazetteer) in use now."""
        now = time.monotonic()
        state = self._state  # one read: a version and its gazetteer, never mixed
        env = os.environ.get("AFGHANGEO_DATA_DIR")
        if state is not None and now - self._checked < CHECK_SECONDS and env == self._env:
            return state
        with self._lock:
            stamp = self._stamp()
            if self._gazetteer is None or stamp != self._folder_stamp:
                self._reload(stamp)
            self._checked, self._env = now, env
            assert self._state is not None
            return self._state

    def refresh(self) -> None:
        """Look at the folder now (after changes made behind the registry's back)."""
        with self._lock:
            self._checked = -np.inf
            self._folder_stamp = None

    def _stamp(self) -> object:
        folder = self.folder
        try:
            return (str(folder), folder.stat().st_mtime_ns)
        except OSError:
            return (str(folder), None)

    def files(self) -> list[Path]:
        """The compiled user gazetteer files, oldest first."""
        out = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return []
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith(".csv") and entry.is_file():
                    out.append((entry.stat().st_mtime_ns, entry.name, Path(entry.path)))
        return [p for *_, p in sorted(out)]

    def _reload(self, stamp: object) -> None:
        files = self.files()
        tables = [(path, table) for path in files if (table := read_compiled(path)) is not None]
        signature = tuple((str(p), len(t)) for p, t in tables)
        self._folder_stamp = stamp
        if self._gazetteer is not None and signature == self._signature:
            return
        self._gazetteer = combine([t for _, t in tables])
        self._signature = signature
        self._version += 1
        self._caches = {"": self._version}
        self._state = (self._version, self._gazetteer)

    def installed(self) -> list[GazetteerInfo]:
        """The installed user gazetteers, oldest first."""
        out = []
        for path in self.files():
            table = read_compiled(path, warn=False)
            if table is not None:
                merged = int(merges(table).sum())
                out.append(GazetteerInfo(_name_of(path), path, len(table) - merged, merged))
        return out

    def add(self, path: str | os.PathLike[str], *, replace: bool = False) -> GazetteerInfo:
        """Compile `path` into the folder and use it from now on (see add_gazetteer)."""
        source = check_path(path, "path")
        try:
            raw = source.read_bytes()
        except OSError as err:
            msg = f"Cannot read gazetteer file {str(source)!r}: {err.strerror or err}."
            raise DataError(msg) from err
        table, skipped = _gazfiles.clean(_gazfiles.parse(raw, source.name))
        compiled, merged, dropped = compile_rows(table, source.name)
        if dropped:
            skipped["district or province not in the boundary layer"] = dropped
        if compiled.empty:
            why = ", ".join(f"{n:,} {r}" for r, n in skipped.items()) or "no rows"
            msg = (
                f"{source.name} has no usable place inside Afghanistan ({why}); "
                "nothing was installed and the gazetteers in use are unchanged."
            )
            raise InvalidInputError(msg)
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out = folder / f"{source.stem}-{hashlib.sha256(raw).hexdigest()[:_DIGEST]}.csv"
            write_atomic(out, compiled[COLUMNS].to_csv(index=False, lineterminator="\n"))
        except OSError as err:
            msg = f"Cannot write to {str(folder)!r}: {err.strerror or err}."
            raise DataError(msg) from err
        with self._lock:
            if replace:
                for old in self.files():
                    if old != out and _name_of(old) == source.stem:
                        with contextlib.suppress(OSError):
                            old.unlink()
            self.refresh()
        places = len(compiled) - merged
        return GazetteerInfo(source.stem, out, places, merged, dict(skipped))

    def remove(self, names: list[str] | None = None, *, all: bool = False) -> list[GazetteerInfo]:
        """Remove user gazetteers by name (as listed) or all of them; returns what went."""
        installed = self.installed()
        if all:
            doomed = installed
        elif not names:
            msg = "Name the gazetteers to remove (see list_gazetteers()) or pass all=True."
            raise InvalidInputError(msg)
        else:
            doomed = []
            for name in names:
                hits = [g for g in installed if name in (g.name, g.path.name, g.path.stem)]
                if not hits:
                    known = ", ".join(sorted({g.name for g in installed})) or "none"
                    msg = f"No user gazetteer named {name!r}; the user gazetteers: {known}."
                    raise InvalidInputError(msg)
                doomed += [g for g in hits if g not in doomed]
        with self._lock:
            for info in doomed:
                with contextlib.suppress(FileNotFoundError):
                    info.path.unlink()
            self.refresh()
        return doomed


_REGISTRY = Registry()


def registry() -> Registry:
    """The process-wide :class:`Registry`."""
    return _REGISTRY


def add_gazetteer(path: str | os.PathLike[str], *, replace: bool = False) -> GazetteerInfo:
    """Compile a user gazetteer and use it, with the bundle, from now on.

    Parameters
    ----------
    path : str or path-like
        A GeoNames country dump (``AF.txt`` or ``AF.zip``) or a CSV with ``name``,
        ``latitude``, ``longitude`` and optionally alternate names
        (``alternatenames``/``aliases``), ``kind`` (our kinds) or ``feature_code``
        (GeoNames codes: PPL, PPLA, ADM2, AIRP, PASS, VAL ...), ``population``, ``id``.
    replace : bool, default False
        Remove gazetteers compiled earlier from a file of the same name.

    Returns
    -------
    GazetteerInfo
        How many places were added, merged into bundled entries, and skipped (by
        reason: empty or numeric names, bad coordinates, outside Afghanistan).

    Raises
    ------
    InvalidInputError
        If the file has no usable Afghan place (nothing is installed then), or a CSV
        lacks the name or coordinate columns.
    DataError
        If the file cannot be read or the data folder written.
    """
    return _REGISTRY.add(path, replace=replace)


def list_gazetteers() -> list[GazetteerInfo]:
    """The user gazetteers in use, oldest first (the bundle is always used too)."""
    return _REGISTRY.installed()


def remove_gazetteer(
    names: str | list[str] | None = None, *, all: bool = False
) -> list[GazetteerInfo]:
    """Remove user gazetteers by the names :func:`list_gazetteers` gives, or ``all=True``."""
    return _REGISTRY.remove([names] if isinstance(names, str) else names, all=all)
