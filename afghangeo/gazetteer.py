"""The place index: exact and alias look-up, fuzzy candidates behind a blocking index.

A :class:`Gazetteer` holds entries (provinces, districts, towns, villages, sites), each
with a canonical name and any number of other spellings. Every spelling is indexed
under its :func:`~afghangeo.names.fold_name` form and its
:func:`~afghangeo.names.name_key`; fuzzy search (rapidfuzz) only compares keys that
share a first letter, so it stays fast. :meth:`Gazetteer.candidates` returns matches
with how they matched; choosing among them is :mod:`afghangeo.geocoder`'s job.
"""

from __future__ import annotations

import functools
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd

from afghangeo import _data
from afghangeo._vocab import KINDS
from afghangeo.names import fold_name, name_key

__all__ = ["KINDS", "Candidate", "Gazetteer", "Row", "is_foreign"]

COLUMNS = [
    "id", "name", "kind", "province", "district", "lat", "lon", "population", "source",
    "source_id", "names",
]  # fmt: skip
MatchType = Literal["exact", "key", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry that matches a name, and how well.

    ``match`` is ``"exact"`` (same folded spelling), ``"key"`` (same name key, a
    transliteration variant) or ``"fuzzy"`` (a similar key); ``similarity`` (0–1) is
    the rapidfuzz ratio between the folded query and the closest spelling.
    ``primary`` (0–1) is the ratio between the folded query and the entry's own name:
    low when the query matched one of its other names only (a GeoNames town that also
    carries its district's name, as Kuhsān carries "Kohistan").
    """

    entry: int
    match: MatchType
    similarity: float
    spelling: str
    primary: float = 1.0


@dataclass(frozen=True, slots=True)
class Row:
    """The fields of one entry as plain Python values (fast to read per candidate)."""

    name: str
    kind: str
    province: str | None
    district: str | None
    lat: float
    lon: float
    population: float
    source: str
    source_id: str


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _row(rec: Any) -> Row:
    pop = float(rec.population) if pd.notna(rec.population) else 0.0
    return Row(
        str(rec.name), str(rec.kind), _text(rec.province), _text(rec.district),
        float(rec.lat), float(rec.lon), pop, str(rec.source), str(rec.source_id),
    )  # fmt: skip


@functools.cache
def _foreign() -> frozenset[str]:
    return frozenset(fold_name(r["name"]) for r in _data.read_csv_rows("foreign_places.csv"))


def is_foreign(name: str) -> bool:
    """Whether `name` is a well-known place outside Afghanistan (Doha, Quetta, Iran ...).

    Examples
    --------
    >>> from afghangeo.gazetteer import is_foreign
    >>> is_foreign("Doha"), is_foreign("Qatar"), is_foreign("Lashkar Gah")
    (True, True, False)
    """
    return fold_name(name) in _foreign()


class Gazetteer:
    """An in-memory place index.

    Parameters
    ----------
    entries : pandas.DataFrame
        Columns ``id``, ``name``, ``kind`` (one of :data:`KINDS`), ``province``,
        ``district``, ``lat``, ``lon``, ``population``, ``source``, ``source_id`` and
        ``names`` (other spellings, ``|``-separated).

    Examples
    --------
    >>> from afghangeo.gazetteer import Gazetteer
    >>> gaz = Gazetteer.bundled()
    >>> sorted(gaz.entries.loc[c.entry, "kind"] for c in gaz.candidates("Lashkargah"))
    ['capital', 'district']
    """

    def __init__(self, entries: pd.DataFrame) -> None:
        missing = [c for c in COLUMNS if c not in entries.columns]
        if missing:
            msg = f"Gazetteer entries lack the columns {missing}; they need {COLUMNS}."
            raise ValueError(msg)
        self.entries = entries[COLUMNS].reset_index(drop=True)
        self.entries["names"] = self.entries["names"].fillna("").astype(str)
        self._primary = [fold_name(str(n)) for n in self.entries["name"]]
        self.rows = [_row(r) for r in self.entries.itertuples(index=False)]
        self._units: dict[tuple[str | None, str | None], int] = {}
        for i, row in enumerate(self.rows):
            if row.kind in ("province", "district"):
                unit = (row.province, row.district if row.kind == "district" else None)
                self._units.setdefault(unit, i)
        self._by_fold: dict[str, set[int]] = defaultdict(set)
        self._by_key: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        spellings = zip(self.entries["name"], self.entries["names"], strict=True)
        for i, (name, others) in enumerate(spellings):
            for spelling in (name, *filter(None, others.split("|"))):
                folded = fold_name(spelling)
                if not folded:
                    continue
                self._by_fold[folded].add(i)
                self._by_key[name_key(spelling)][i].append(folded)
        self._words = self._word_counts()
        self._blocks: dict[str, list[str]] = defaultdict(list)
        for key in self._by_key:
            if len(key) >= 3:
                self._blocks[key[0]].append(key)

    @classmethod
    @functools.cache
    def bundled(cls) -> Gazetteer:
        """The gazetteer shipped with afghangeo (provinces, districts, GeoNames towns)."""
        text = io.StringIO(_data.read_text("gazetteer.csv"))
        return cls(pd.read_csv(text, dtype={"source_id": str, "district": object}))

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        counts = self.entries["kind"].value_counts()
        parts = ", ".join(f"{counts[k]} {k}" for k in KINDS if k in counts)
        return f"<Gazetteer: {len(self)} entries ({parts})>"

    def has_spelling(self, folded: str) -> bool:
        """Whether some entry is spelled `folded` (a :func:`fold_name` form)."""
        return folded in self._by_fold

    def has_key(self, key: str) -> bool:
        """Whether some spelling has the name key `key` (a :func:`name_key`)."""
        return key in self._by_key

    def key_count(self, key: str) -> int:
        """How many entries have a spelling whose name key is `key`."""
        return len(self._by_key.get(key, ()))

    def unit(self, province: str, district: str | None = None) -> int | None:
        """The entry of a province, or of one of its districts (None if there is none)."""
        return self._units.get((province, district))

    def _word_counts(self) -> dict[str, frozenset[str]]:
        """The provinces of the entries that use each word in one of their spellings."""
        words: list[set[str]] = [set() for _ in range(len(self.entries))]
        for key_spellings in self._by_key.values():
            for i, spellings in key_spellings.items():
                for spelling in spellings:
                    words[i].update(spelling.split(" "))
        provinces = self.entries["province"].to_numpy(object)
        found: dict[str, set[str]] = defaultdict(set)
        for i, entry_words in enumerate(words):
            for word in entry_words:
                found[word].add(str(provinces[i]))
        return {word: frozenset(p) for word, p in found.items()}

    def word_provinces(self, word: str) -> frozenset[str]:
        """The provinces with an entry that uses `word` (a folded word) in a spelling.

        A word used across many provinces ("deh", "qala", "chinar") names many places;
        one used in a single province ("kabul" in Kabul's quarters) names one.
        """
        return self._words.get(word, frozenset())

    def primary(self, entry: int) -> str:
        """The folded form of entry `entry`'s own name."""
        return self._primary[entry]

    def candidates(self, name: str, *, fuzzy: bool = True, limit: int = 5) -> list[Candidate]:
        """Entries that match `name`: exact and key matches, else fuzzy ones.

        Parameters
        ----------
        name : str
            A place name as written.
        fuzzy : bool, default True
            Look for similar keys when nothing matches exactly or by key.
        limit : int, default 5
            How many similar keys a fuzzy search considers.

        Returns
        -------
        list of Candidate
            Best first; empty when nothing is close.
        """
        from rapidfuzz import fuzz, process

        folded = fold_name(name)
        key = name_key(name)
        if not folded or not key:
            return []
        found: dict[int, Candidate] = {}
        for i in self._by_fold.get(folded, ()):
            found[i] = Candidate(i, "exact", 1.0, folded)
        for i, spellings in self._by_key.get(key, {}).items():
            if i not in found:
                best = max(spellings, key=lambda s: fuzz.ratio(folded, s))
                found[i] = Candidate(i, "key", fuzz.ratio(folded, best) / 100, best)
        if not found and fuzzy and len(key) >= 4:
            block = self._blocks.get(key[0], [])
            for other, key_score, _ in process.extract(
                key, block, scorer=fuzz.ratio, limit=limit, score_cutoff=80
            ):
                for i, spellings in self._by_key[other].items():
                    best = max(spellings, key=lambda s: fuzz.ratio(folded, s))
                    score = min(key_score, fuzz.ratio(folded, best)) / 100
                    if i not in found or found[i].similarity < score:
                        found[i] = Candidate(i, "fuzzy", score, best)
        order = {"exact": 0, "key": 1, "fuzzy": 2}
        out = [
            replace(c, primary=fuzz.ratio(folded, self._primary[c.entry]) / 100)
            for c in found.values()
        ]
        return sorted(out, key=lambda c: (order[c.match], -c.similarity, c.entry))

    def extend(self, entries: pd.DataFrame) -> Gazetteer:
        """A new gazetteer with `entries` added after this one's."""
        return Gazetteer(pd.concat([self.entries, entries[COLUMNS]], ignore_index=True))

    def in_province(self, entries: Iterable[int], province: str) -> list[int]:
        """The entries of `entries` that lie in `province` (canonical name)."""
        provinces = self.entries["province"].to_numpy(object)
        return [i for i in entries if provinces[i] == province]
