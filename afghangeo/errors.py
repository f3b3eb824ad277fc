"""The exceptions afghangeo raises on purpose.

Every class derives from :class:`AfghangeoError` and from the built-in that fits, so
``except ValueError`` or ``except LookupError`` keeps working. Messages say what was
wrong, quote the offending value and say what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AfghangeoError",
    "AmbiguousPlaceError",
    "DataError",
    "DownloadError",
    "DroppedRowsWarning",
    "GazetteerWarning",
    "InvalidInputError",
    "UnknownPlaceError",
]


class AfghangeoError(Exception):
    """Base class for every error afghangeo raises on purpose."""


class InvalidInputError(AfghangeoError, ValueError):
    """An argument has the wrong type, shape or value."""


class DataError(AfghangeoError, OSError):
    """A data file is missing, unreadable or not in the expected format."""


class DownloadError(DataError):
    """A download failed: no network, a DNS failure, an HTTP error or a timeout."""


class GazetteerWarning(UserWarning):
    """A file in the user gazetteer folder was ignored (not a compiled gazetteer)."""


class DroppedRowsWarning(UserWarning):
    """Rows of a table file were left out because they could not be read.

    Raised only when the caller asked for it (``on_bad_rows="skip"``); the message
    says how many rows, why, and where.

    Attributes
    ----------
    source : str
        The file, as given.
    count : int
        How many rows were left out.
    lines : tuple of int
        The line numbers of the first few of them (the header is line 1).
    reason : str
        Why they were left out.
    """

    def __init__(self, source: str, count: int, lines: Sequence[int], reason: str):
        self.source = source
        self.count = count
        self.lines = tuple(lines)
        self.reason = reason
        where = ", ".join(map(str, self.lines))
        more = ", ..." if count > len(self.lines) else ""
        super().__init__(f"{source}: left out {count:,} row(s) that {reason} (line {where}{more}).")


class UnknownPlaceError(AfghangeoError, LookupError):
    """A name that must resolve (e.g. a province) matches nothing.

    Attributes
    ----------
    name : str
        The name as given.
    kind : str
        What was looked up: ``"province"``, ``"district"`` or ``"place"``.
    suggestions : tuple of str
        The closest known names, best first.
    """

    def __init__(self, name: object, suggestions: Sequence[str] = (), *, kind: str = "place"):
        self.name = name
        self.kind = kind
        self.suggestions = tuple(suggestions)
        hint = (
            f" Did you mean {', '.join(map(repr, self.suggestions))}?"
            if self.suggestions
            else f" See afghangeo.{kind}s() for the known names."
            if kind in ("province", "district")
            else ""
        )
        super().__init__(f"Unknown {kind} {name!r}.{hint}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_unknown, (self.name, self.suggestions, self.kind))


def _rebuild_unknown(name: object, suggestions: Sequence[str], kind: str) -> UnknownPlaceError:
    return UnknownPlaceError(name, suggestions, kind=kind)


class AmbiguousPlaceError(AfghangeoError, LookupError):
    """Several places fit equally well; pass ``province=`` to choose.

    Attributes
    ----------
    name : str
        The name as given.
    candidates : tuple
        The places that fit, as ``"Name (Province)"`` strings or ``Place`` objects.
    """

    def __init__(self, name: object, candidates: Sequence[Any], *, kind: str = "place"):
        self.name = name
        self.kind = kind
        self.candidates = tuple(candidates)
        listed = ", ".join(map(str, self.candidates))
        super().__init__(
            f"{kind.capitalize()} name {name!r} is ambiguous: it matches {listed}. "
            "Pass province= to choose one."
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_ambiguous, (self.name, self.candidates, self.kind))


def _rebuild_ambiguous(name: object, candidates: Sequence[Any], kind: str) -> AmbiguousPlaceError:
    return AmbiguousPlaceError(name, candidates, kind=kind)
