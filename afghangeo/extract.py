"""From article text to places and incidents, with character spans.

:func:`extract_places` finds the place names of a text by looking up its capitalised
word sequences (and Dari/Pashto words) under their :func:`~afghangeo.names.name_key`
in the active gazetteer: one dictionary look-up per candidate phrase, so the cost
does not grow with the size of the gazetteer. Rules then take out what is not a
place (people: "Ataullah Afghan", "Mr. Afghan"; organisations: "Afghan Peace Talks";
the adjective "Afghan"), flag foreign places (Doha, Qatar, Washington), tell datelines
("KABUL, Afghanistan —") and reporting locations ("reported from Kandahar") from the
places where something happened, let places mentioned together disambiguate each other
("Nawa, a district neighboring Lashkar Gah" is Helmand's Nawa) and keep places the
gazetteer lacks when the text locates them ("the suburbs of Babaji and Chahanjir" of
the city just named).

:func:`extract_incidents` turns the sentences about attacks into rows that
:func:`~afghangeo.incidents.read_incidents`, :func:`~afghangeo.counts.count_by_province`
and :func:`~afghangeo.maps.incident_map` take as they are.

Both run in time linear (or n log n) in the length of the text. The word lists, the
parsers of sentences, dates and figures and the place rules live in the private
package :mod:`afghangeo._text`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from afghangeo._columnar import typed_frame
from afghangeo._display import Mentions
from afghangeo._text import context, lexicon
from afghangeo._text.dates import DateSpan, article_date, find_dates, publication_date
from afghangeo._text.figures import find_facts, find_figures
from afghangeo._text.incidents import Incident, Key, default_dates, most_precise
from afghangeo._text.mentions import Draft, Role
from afghangeo._text.sentences import Sentence
from afghangeo._vocab import MatchStatus, Precision
from afghangeo.errors import InvalidInputError
from afghangeo.place import Place

__all__ = ["INCIDENT_COLUMNS", "MENTION_COLUMNS", "Mention", "extract_incidents", "extract_places"]

# --- the mention -----------------------------------------------------------------------

#: The keys of :meth:`Mention.to_dict`, in order (the columns of ``afghangeo extract --places``).
MENTION_COLUMNS = (
    "text", "start", "end", "name", "province", "district", "lat", "lon", "precision",
    "kind", "score", "status", "source", "source_id", "alternatives", "foreign", "role",
    "near",
)  # fmt: skip


@dataclass(frozen=True)  # not slots: frozen + slots breaks assigning to a property
class Mention:
    """A place named in a text.

    Attributes
    ----------
    text : str
        The words as written (``"Helmand Province"``, ``"KABUL"``).
    start, end : int
        Character span: ``text == article[start:end]``.
    place : Place or None
        The place, as :func:`~afghangeo.geocoder.geocode` resolved the name with the
        hints the text gives (``province=``, ``near=``); its score and status are the
        geocoder's. None for a foreign place. A place the gazetteer lacks that the text
        puts in or near another ("the village of Sar Kalay in Sangin district") gets its
        point, province and district, source ``"text"`` and score ``TEXT_SCORE`` (0.8).
    foreign : bool
        True for a recognised place outside Afghanistan (Doha, Qatar, Washington).
    role : {"event", "dateline", "reporting", "other"}
        ``event`` where the sentence reports violence there, ``dateline`` for the
        place an article is filed from, ``reporting`` for "reported from Kandahar" or a
        title ("the Takhar police chief"), else ``other`` ("came from Zabul").
    near : str or None
        The place the text relates this one to ("neighboring Lashkar Gah").

    The place's ``name``, ``province``, ``district``, ``lat``, ``lon``, ``precision``,
    ``kind``, ``score``, ``status`` and ``alternatives`` are read-only properties
    (None, NaN or empty for a foreign place; ``score`` is 1.0 there).
    """

    text: str
    start: int
    end: int
    place: Place | None
    foreign: bool = False
    role: Role = "other"
    near: str | None = None

    @property
    def name(self) -> str | None:
        """The place's name in the gazetteer."""
        return self.place.name if self.place else None

    @property
    def province(self) -> str | None:
        """Canonical province, None for a foreign place."""
        return self.place.province if self.place else None

    @property
    def district(self) -> str | None:
        """Canonical district, if known."""
        return self.place.district if self.place else None

    @property
    def lat(self) -> float:
        """WGS84 latitude; NaN for a foreign place."""
        return self.place.lat if self.place else math.nan

    @property
    def lon(self) -> float:
        """WGS84 longitude; NaN for a foreign place."""
        return self.place.lon if self.place else math.nan

    @property
    def precision(self) -> Precision | None:
        """What the point means: ``"place"``, ``"district"`` or ``"province"``."""
        return self.place.precision if self.place else None

    @property
    def kind(self) -> str | None:
        """Gazetteer kind (``province``, ``district``, ``capital``, ``town`` ...)."""
        return self.place.kind if self.place else None

    @property
    def score(self) -> float:
        """The geocoder's score for the name with the text's hints (1.0 if foreign)."""
        return self.place.score if self.place else 1.0

    @property
    def status(self) -> MatchStatus | None:
        """The geocoder's status (``"matched"``, ``"ambiguous"`` ...)."""
        return self.place.status if self.place else None

    @property
    def alternatives(self) -> tuple[Place, ...]:
        """Other places the name may mean."""
        return self.place.alternatives if self.place else ()

    def __repr__(self) -> str:
        where = (
            "foreign" if self.foreign else ", ".join(x for x in (self.district, self.province) if x)
        )
        extra = f", near={self.near!r}" if self.near else ""
        return (
            f"Mention({self.text!r} [{self.start}:{self.end}] -> {self.name!r}, {where}, "
            f"precision={self.precision!r}, score={self.score:.2f}, role={self.role!r}{extra})"
        )

    def to_dict(self) -> dict[str, Any]:
        """A flat dict with the keys of ``MENTION_COLUMNS`` (alternatives as strings)."""
        place: dict[str, Any] = self.place.to_dict() if self.place else {"lat": math.nan}
        place.setdefault("lon", math.nan)
        place.setdefault("score", self.score)
        place["alternatives"] = place.get("alternatives", [])
        own = {"text": self.text, "start": self.start, "end": self.end, "foreign": self.foreign}
        own |= {"role": self.role, "near": self.near}
        return {key: own[key] if key in own else place.get(key) for key in MENTION_COLUMNS}


# --- extract_places --------------------------------------------------------------------


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        msg = f"Expected the article text as a str, got {type(text).__name__}."
        raise InvalidInputError(msg)
    return text


def extract_places(text: str) -> Mentions:
    """Places named in a text, resolved, with character spans and roles.

    Parameters
    ----------
    text : str
        An article or any piece of text, in English (Dari/Pashto place names in Arabic
        script are found too).

    Returns
    -------
    Mentions
        A list of :class:`Mention`, in order of position, one per occurrence (in
        Jupyter it shows the text highlighted and a table). Afghan places carry their
        :class:`~afghangeo.place.Place` (province, district, point, precision, score
        and status); foreign places have ``foreign=True``.

    Examples
    --------
    >>> text = ("KABUL, Afghanistan — The Taliban attacked Nawa, a district neighboring "
    ...         "Lashkar Gah, said Ataullah Afghan. Talks continue in Doha.")
    >>> [(m.text, m.province, m.role, m.foreign) for m in ag.extract_places(text)]
    [('KABUL', 'Kabul', 'dateline', False), ('Nawa', 'Helmand', 'event', False), \
('Lashkar Gah', 'Helmand', 'other', False), ('Doha', None, 'other', True)]
    """
    text = _check_text(text)
    drafts, _, _ = context.read_places(text)
    return Mentions(text, (_mention(d) for d in drafts))


def _mention(d: Draft) -> Mention:
    return Mention(d.surface, d.start, d.end, d.place, foreign=d.foreign, role=d.role, near=d.near)


# --- extract_incidents -----------------------------------------------------------------

INCIDENT_COLUMNS = [
    "incident", "what", "place", "province", "district", "latitude", "longitude",
    "precision", "score", "date", "date_end", "killed", "killed_qualifier", "wounded",
    "wounded_qualifier", "displaced_families", "displaced_qualifier", "start", "end",
    "source",
]  # fmt: skip
_FIGURE_COLUMNS = ("killed", "wounded", "displaced_families")
_NUMBER_COLUMNS = ("incident", "latitude", "longitude", "score", "start", "end")
_ANTECEDENT_WINDOW = 64  # how many place names back an anaphora ("That attack") looks


def extract_incidents(
    text: str, *, published: dt.date | str | None = None, source: str | None = None
) -> pd.DataFrame:
    """Reported attacks and clashes in a text: where, when and how many casualties.

    Parameters
    ----------
    text : str
        An article. Sentences that report violence at an Afghan place become incidents;
        statements about the whole country ("50 attacks per day"), talks abroad or
        prisoner releases do not (national figures are kept in ``.attrs["facts"]``).
        Many articles (a list, DataFrame, dask collection) go to ``extract_corpus``.
    published : date, datetime, pandas Timestamp or str, optional
        Publication date, against which "late Thursday", "since Friday" or "last
        night" are resolved. Read from a date line near the top when not given (None
        or NaT). Relative dates that would fall outside the calendar are left out.
    source : str, optional
        Stored in the ``source`` column (e.g. the article's URL or file name).

    Returns
    -------
    pandas.DataFrame
        One row per incident and place (an attack on "Babaji and Chahanjir" gives two
        rows sharing an ``incident`` number; its figures are on the first row only, so
        sums over rows are right), with ``what`` (the sentence), ``place``,
        ``province``, ``district``, ``latitude``, ``longitude``, ``precision``,
        ``score``, ``date`` and ``date_end`` (a range when the text gives one),
        ``killed``, ``wounded``, ``displaced_families`` with their qualifiers ("at
        least"), and the character span ``start``/``end`` of the first sentence.
        Ready for :func:`read_incidents`, :func:`count_by_province` and
        :func:`incident_map`. A place name the geocoder cannot tell apart from others
        of the same name, even with the text's hints, is kept in ``place`` with no
        province or coordinates, so that it is counted as unlocated rather than
        guessed. Numbers too large to count people (above
        ``MAX_FIGURE``) are not figures.

    Raises
    ------
    InvalidInputError
        If `text` is not a str, or `published` is not a date.

    Examples
    --------
    >>> rows = ag.extract_incidents(
    ...     "Taliban fighters attacked a militia post in Badghis Province late Thursday, "
    ...     "killing at least 13.", published="2020-04-24")
    >>> rows[["province", "precision", "killed", "killed_qualifier"]].values.tolist()
    [['Badghis', 'province', 13, 'at least']]
    >>> rows["date"].dt.date.tolist()
    [datetime.date(2020, 4, 23)]
    """
    if not isinstance(text, str):  # many articles (see afghangeo.corpus), or not text
        from afghangeo.corpus import extract_any

        return extract_any(text, published=published, source=source)
    day = publication_date(published) or article_date(text)
    drafts, sents, facts = context.read_places(text)
    grouping = _Grouping(drafts, sents, day)
    for k, f in enumerate(facts):
        if f.event:
            grouping.read(k)
    table = _frame(_rows(grouping.folded(), sents, grouping.period, day, source))
    table.attrs["facts"] = grouping.facts
    table.attrs["published"] = day.isoformat() if day else None
    return table


# --- incident grouping -----------------------------------------------------------------


_Inc = Incident[Mention]


class _Grouping:
    """Sentences about violence read in order and grouped into incidents by place."""

    def __init__(self, drafts: list[Draft], sents: list[Sentence], day: dt.date | None) -> None:
        self.drafts, self.sents, self.day = drafts, sents, day
        self.of_sentence = [d.sentence for d in drafts]  # sorted: drafts are in text order
        self.by_sentence: dict[int, list[Mention]] = {}
        for d in drafts:
            self.by_sentence.setdefault(d.sentence, []).append(_mention(d))
        self.incidents: list[_Inc] = []
        self.by_places: dict[frozenset[Key], _Inc] = {}
        self.by_place: dict[Key, _Inc] = {}
        self.facts: list[dict[str, Any]] = []
        self.period: list[DateSpan] = []
        self.last: _Inc | None = None

    def read(self, k: int) -> None:
        """Read event sentence `k`: a new incident, more of one, or a national fact."""
        s = self.sents[k]
        if lexicon.NATIONAL.search(s.text):
            self.facts.extend(find_facts(s.text, offset=s.start))
            return
        figures = find_figures(s.text)
        dates = find_dates(s.text, self.day)
        self.period.extend(dates)
        found = self.by_sentence.get(k, [])
        places = most_precise([m for m in found if not m.foreign and m.role == "event"])
        if not places:
            if lexicon.ANAPHORA.match(s.text):
                target = self._antecedent(k) or self.last
                if target is not None:
                    target.add(k, figures)
            return
        keys = frozenset((m.name, m.province) for m in places)
        target = self.by_places.get(keys)
        if target is None:
            target = Incident(places)
            self.incidents.append(target)
            self.by_places[keys] = target
            for key in keys:
                self.by_place.setdefault(key, target)
        target.add(k, figures, dates)
        self.last = target

    def _antecedent(self, k: int) -> _Inc | None:
        """The incident at the place named last before sentence `k` in its paragraph."""
        paragraph = self.sents[k].paragraph
        last = bisect.bisect_left(self.of_sentence, k)
        for d in reversed(self.drafts[max(0, last - _ANTECEDENT_WINDOW) : last]):
            if self.sents[d.sentence].paragraph != paragraph:
                break
            if d.place is not None:
                found = self.by_place.get((d.place.name, d.place.province))
                if found is not None:
                    return found
        return None

    def folded(self) -> list[_Inc]:
        """The incidents; a province-only one merges into the first precise one there."""
        hosts: dict[str | None, list[_Inc]] = {}
        for inc in self.incidents:
            if inc.precise():
                for province in inc.provinces():
                    hosts.setdefault(province, []).append(inc)
        out: list[_Inc] = []
        for inc in self.incidents:
            host = None if inc.precise() else self._host(inc, hosts)
            if host is None:
                out.append(inc)
                continue
            host.absorb(inc)
        return out

    @staticmethod
    def _host(inc: _Inc, hosts: dict[str | None, list[_Inc]]) -> _Inc | None:
        wanted = inc.provinces()
        first = next(iter(wanted))
        return next((o for o in hosts.get(first, []) if o.provinces() >= wanted), None)


def _where(m: Mention) -> list[Any]:
    if m.place is None or context.is_unsure(m.place):  # "Nawa" alone: several provinces
        return [m.text, None, None, math.nan, math.nan, None]
    return [m.name, m.province, m.district, m.lat, m.lon, m.precision]


def _rows(
    incidents: list[_Inc],
    sents: list[Sentence],
    period: list[DateSpan],
    day: dt.date | None,
    source: str | None,
) -> list[list[Any]]:
    default = default_dates(period, day)
    rows = []
    for number, inc in enumerate(incidents, start=1):
        first = sents[min(inc.sentences)]
        when = default
        if inc.dates:
            when = (min(d.first for d in inc.dates), max(d.last for d in inc.dates))
        figs: list[Any] = []
        for what in _FIGURE_COLUMNS:
            f = inc.figures.get(what)
            figs += [f.value, f.qualifier or None] if f else [None, None]
        for n, m in enumerate(inc.places):
            rows.append(
                [
                    number, first.text, *_where(m), m.score, when[0], when[1],
                    *(figs if n == 0 else [None] * 6), first.start, first.end, source,
                ]
            )  # fmt: skip
    return rows


def _frame(rows: list[list[Any]]) -> pd.DataFrame:
    """The table of `rows`: figures as Int64, dates as datetime64, the rest inferred."""
    dates, numbers = ("date", "date_end"), _NUMBER_COLUMNS
    return typed_frame(rows, INCIDENT_COLUMNS, ints=_FIGURE_COLUMNS, dates=dates, numbers=numbers)
