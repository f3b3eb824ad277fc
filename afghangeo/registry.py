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
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from afghangeo import _gazfiles
from afghangeo._files import write_atomic
from afghangeo._geo import great_circle_km
from afghangeo._vocab import AREA_KINDS
from afghangeo.errors import DataError, GazetteerWarning, InvalidInputError
from afghangeo.gazetteer import COLUMNS, Gazetteer
from afghangeo.names import name_key

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
#: A user row this close (km) to a bundled place of the same name key merges with it.
MERGE_KM = 5.0
_DIGEST = 12  # hex digits of the source file's hash in a compiled file's name
_HEADER = ",".join(COLUMNS)


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
        self._caches: dict[str, dict[object, object]] = {}
        self._by_version: dict[int, Gazetteer] = {}

    @property
    def folder(self) -> Path:
        """Where compiled user gazetteers are kept."""
        return data_dir() / "gazetteers"

    @property
    def version(self) -> int:
        """A number that changes whenever the gazetteers in use change."""
        return self.current()[0]

    def cache(self, name: str) -> dict[object, object]:
        """A dict of answers for the current version (emptied when it changes)."""
        self.current()
        with self._lock:
            return self._caches.setdefault(name, {})

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
        tables = [(path, table) for path in files if (table := _read_compiled(path)) is not None]
        signature = tuple((str(p), len(t)) for p, t in tables)
        self._folder_stamp = stamp
        if self._gazetteer is not None and signature == self._signature:
            return
        self._gazetteer = _combine([t for _, t in tables])
        self._signature = signature
        self._version += 1
        self._caches = {}
        self._by_version = {v: g for v, g in self._by_version.items() if v > self._version - 8}
        self._by_version[self._version] = self._gazetteer
        self._state = (self._version, self._gazetteer)

    def at(self, version: int) -> Gazetteer:
        """The gazetteer a recent `version` named (the current one if it is gone)."""
        with self._lock:
            found = self._by_version.get(version)
        return found if found is not None else self.current()[1]

    def installed(self) -> list[GazetteerInfo]:
        """The installed user gazetteers, oldest first."""
        out = []
        for path in self.files():
            table = _read_compiled(path, warn=False)
            if table is not None:
                out.append(GazetteerInfo(_name_of(path), path, int((~_merges(table)).sum()),
                                         int(_merges(table).sum())))  # fmt: skip
        return out

    def add(self, path: str | os.PathLike[str], *, replace: bool = False) -> GazetteerInfo:
        """Compile `path` into the folder and use it from now on (see add_gazetteer)."""
        source = Path(path)
        try:
            raw = source.read_bytes()
        except OSError as err:
            msg = f"Cannot read gazetteer file {str(source)!r}: {err.strerror or err}."
            raise DataError(msg) from err
        table, skipped = _gazfiles.clean(_gazfiles.parse(raw, source.name))
        compiled, merged, dropped = _compile(table, source.name)
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


def _merges(table: pd.DataFrame) -> np.ndarray:
    ids = set(Gazetteer.bundled().entries["id"])
    return table["id"].isin(ids).to_numpy(bool)


def _read_compiled(path: Path, *, warn: bool = True) -> pd.DataFrame | None:
    """A compiled gazetteer, or None (vanished, or not one of ours: warned)."""
    try:
        with path.open(encoding="utf-8") as fh:
            header = fh.readline().strip()
            if header != _HEADER:
                if warn:
                    msg = f"Ignoring {path.name} in {path.parent}: not a compiled gazetteer."
                    warnings.warn(msg, GazetteerWarning, stacklevel=4)
                return None
            fh.seek(0)
            table: pd.DataFrame = pd.read_csv(
                fh, dtype={"source_id": str, "district": object, "id": str}
            )
    except FileNotFoundError:  # removed by another process meanwhile
        return None
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        if warn:
            warnings.warn(f"Ignoring {path.name}: {err}", GazetteerWarning, stacklevel=4)
        return None
    ok = table["name"].map(lambda v: isinstance(v, str) and bool(v.strip()))
    ok &= np.isfinite(pd.to_numeric(table["lat"], errors="coerce"))
    ok &= np.isfinite(pd.to_numeric(table["lon"], errors="coerce"))
    out: pd.DataFrame = table[ok.to_numpy(bool)]
    return out


def _combine(tables: list[pd.DataFrame]) -> Gazetteer:
    """The bundle with the user tables: merge rows add spellings, the rest are entries."""
    bundled = Gazetteer.bundled()
    if not tables:
        return bundled
    entries = bundled.entries.copy()
    position = pd.Series(np.arange(len(entries)), index=entries["id"])
    names = entries["names"].tolist()
    new = []
    for table in tables:
        merge = table["id"].isin(position.index).to_numpy(bool)
        for ident, name, others in table.loc[merge, ["id", "name", "names"]].itertuples(False):
            i = int(position[ident])
            extra = "|".join(x for x in (name, others) if isinstance(x, str) and x)
            names[i] = f"{names[i]}|{extra}" if names[i] else extra
        new.append(table[~merge])
    entries["names"] = names
    return Gazetteer(pd.concat([entries, *new], ignore_index=True))


def _compile(table: pd.DataFrame, source: str) -> tuple[pd.DataFrame, int, int]:
    """Rows to store, merges carrying the bundled entry's id; (table, merged, dropped)."""
    bundled = Gazetteer.bundled().entries
    table = table.copy()
    table["id"] = "U-" + table["source_id"].astype(str)
    area = table["kind"].isin(AREA_KINDS).to_numpy(bool)
    target = np.full(len(table), None, dtype=object)
    columns = ["name", "kind", "province", "district"]
    target[area] = [
        _boundary_id(bundled, *row) for row in table.loc[area, columns].itertuples(False)
    ]
    places = bundled[~bundled["kind"].isin(AREA_KINDS)]
    by_key: dict[str, list[int]] = {}
    for i, (name, others) in enumerate(zip(places["name"], places["names"], strict=True)):
        for spelling in {name, *str(others).split("|")} - {"", "nan"}:
            by_key.setdefault(name_key(spelling), []).append(i)
    lat, lon = places["lat"].to_numpy(float), places["lon"].to_numpy(float)
    ids = places["id"].to_numpy(object)
    rows = zip(table["name"].tolist(), table["lat"].tolist(), table["lon"].tolist(), strict=True)
    for row, (name, y, x) in enumerate(rows):
        near = by_key.get(name_key(str(name)), []) if not area[row] else []
        if near:
            d = great_circle_km(lat[near], lon[near], float(y), float(x))
            if d.min() <= MERGE_KM:
                target[row] = ids[near[int(d.argmin())]]
    merged = target != None  # noqa: E711
    keep = ~area | merged  # an admin row that names no boundary unit is left out
    table.loc[merged, "id"] = target[merged]
    table["source"] = table["source"].fillna(source)
    dropped = int((~keep).sum())
    return table[keep].reset_index(drop=True), int(merged.sum()), dropped


def _boundary_id(
    bundled: pd.DataFrame, name: str, kind: str, province: str, district: str
) -> str | None:
    """The bundled province or district entry a user's admin row names, if any.

    The unit must contain the row's point, or (for a district whose point is a little
    off) lie in the same province, and be spelled with the same name key.
    """
    key = name_key(name)
    level = "province" if kind == "province" else "district"
    units = bundled[(bundled["kind"] == level) & (bundled["province"] == province)]
    if level == "district":
        units = units.iloc[np.argsort(~(units["name"] == district).to_numpy(), kind="stable")]
    for ident, canonical, others in units[["id", "name", "names"]].itertuples(False):
        spellings = {canonical, *str(others).split("|")} - {"", "nan"}
        if key in {name_key(s) for s in spellings}:
            return str(ident)
    return None


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


def active() -> tuple[int, Gazetteer]:
    """(version, gazetteer) in use; for the geocoder's caches."""
    return _REGISTRY.current()


def built(version: int) -> Gazetteer:
    """The gazetteer of `version` (the current one if it has changed since)."""
    return _REGISTRY.at(version)


def source_name(path: Path) -> str:
    """The listed name of a compiled file ('AF' for 'AF-0123456789ab.csv').

    Examples
    --------
    >>> source_name(Path("AF-0123456789ab.csv")), source_name(Path("notes.csv"))
    ('AF', 'notes')
    """
    return _name_of(path)
