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

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from afghangeo._display import Mentions
from afghangeo._text import context
from afghangeo._text.dates import article_date, publication_date
from afghangeo._text.grouping import Grouping
from afghangeo._text.mentions import Draft, Role
from afghangeo._text.table import INCIDENT_COLUMNS, figure_spans, frame, rows
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


def extract_incidents(
    text: str, *, published: dt.date | str | None = None, source: str | None = None
) -> pd.DataFrame:
    """Reported attacks and clashes in a text: where, when and how many casualties.

    Parameters
    ----------
    text : str
        An article. Sentences that report violence at an Afghan place become incidents;
        the sentence after one, when it goes on with figures ("Ten civilians were
        killed, officials said"), adds them to it. Statements about the whole country
        ("50 attacks per day"), talks abroad or prisoner releases are not incidents
        (national figures are kept in ``.attrs["facts"]``).
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
        One row per incident and place, with the columns of ``INCIDENT_COLUMNS``:

        - ``incident`` (an attack on "Babaji and Chahanjir" gives two rows sharing it;
          its figures are on the first row only, so sums over rows are right),
          ``what`` (the first sentence) and its character span ``start``/``end``;
        - ``place``, ``province``, ``district``, ``latitude``, ``longitude``,
          ``precision``, ``score``. A name the geocoder cannot tell apart from others
          of the same name, even with the text's hints, is kept in ``place`` with no
          province or coordinates, so that it is counted as unlocated, not guessed;
        - ``date`` and ``date_end``: the days of the event, not of the report ("said
          on Tuesday that the attack on Saturday ..." is Saturday);
        - ``killed``, ``wounded``: the people killed (attackers killed in the fighting
          included, as the text counts them; parts added up: "five soldiers and two
          police officers" is 7, "a mother and her two children" 3, "shot dead a
          prosecutor" 1), and wounded; each with its ``_qualifier`` ("at least",
          "more than", or the phrase of a count with no number, "dozens of", whose
          figure is then missing). A range ("25 to 40") gives ``killed_low`` and
          ``killed_high`` (``wounded_low``/``wounded_high``), and ``killed`` its lower
          bound; these columns are missing for a single number;
        - ``casualties`` and ``casualties_qualifier``: killed and wounded given as one
          number ("killed and wounded 22", "17 casualties"), which is never put into
          ``killed`` or ``wounded``;
        - ``displaced_families`` and ``displaced_qualifier``;
        - ``source``.

        The figure columns are nullable integers (``Int64``), the dates datetimes.
        ``.attrs["figures"]`` lists every figure with the span of the words that give
        it (``incident``, ``what``, ``value``, ``high``, ``qualifier``, ``start``,
        ``end``, ``text``). Numbers too large to count people (above ``MAX_FIGURE``)
        are not figures. Ready for :func:`read_incidents`, :func:`count_by_province`
        and :func:`incident_map`.

    Raises
    ------
    InvalidInputError
        If `text` is not a str, or `published` is not a date.

    Examples
    --------
    >>> rows = ag.extract_incidents(
    ...     "Taliban fighters attacked a militia post in Badghis Province late Thursday. "
    ...     "At least 13 were killed and between 5 and 8 wounded.", published="2020-04-24")
    >>> rows[["province", "killed", "killed_qualifier", "wounded_low", "wounded_high"]
    ...      ].values.tolist()
    [['Badghis', 13, 'at least', 5, 8]]
    >>> rows["date"].dt.date.tolist()
    [datetime.date(2020, 4, 23)]
    >>> [(f["what"], f["text"]) for f in rows.attrs["figures"]]
    [('killed', 'At least 13 were killed'), ('wounded', 'between 5 and 8 wounded')]
    """
    if not isinstance(text, str):  # many articles (see afghangeo.corpus), or not text
        from afghangeo.corpus import extract_any

        return extract_any(text, published=published, source=source)
    read = _read_article(text, published=published, source=source)
    table = frame(read.rows)
    table.attrs["facts"] = read.facts
    table.attrs["figures"] = read.figures
    table.attrs["published"] = read.published
    return table


class _Read(NamedTuple):
    """What :func:`_read_article` finds: the rows of the table and its ``attrs``."""

    rows: list[list[Any]]  # one per incident and place, in the order of INCIDENT_COLUMNS
    facts: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    published: str | None


def _read_article(
    text: str, *, published: dt.date | str | None = None, source: str | None = None
) -> _Read:
    """The rows of :func:`extract_incidents` before they become a table.

    A corpus makes one table of the rows of many articles (:mod:`afghangeo.corpus`):
    building a small table per article costs about as much as reading it.
    """
    day = publication_date(published) or article_date(text)
    drafts, sents, facts = context.read_places(text)
    grouping = Grouping(drafts, sents, day, _mention)
    for k, f in enumerate(facts):
        grouping.read(k, event=f.event)
    incidents = grouping.folded()
    found = rows(incidents, sents, grouping.period, day, source)
    figures = figure_spans(incidents, text)
    return _Read(found, grouping.facts, figures, day.isoformat() if day else None)
