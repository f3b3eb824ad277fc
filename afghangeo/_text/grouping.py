"""The sentences of a text grouped into incidents, the way a careful reader groups them.

A sentence that reports violence at a place starts an incident there, or continues the
one already at that place. A sentence that names no place of an event continues the
incident before it when it points back to it ("That attack killed 13", "They killed
him") or simply goes on with its figures ("... in Paktika on Monday. Ten civilians were
killed and twelve wounded, officials said."), unless it opens another story
("Separately, ...", "In a separate attack ...") or another time (a date that is not the
incident's). A sentence whose clauses, cut at semicolons, name different places ("In
Sayyad, six were killed; in Sozma Qala, four were wounded") is read clause by clause.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from afghangeo._text import lexicon
from afghangeo._text.caseless import Caseless
from afghangeo._text.dates import DateSpan, find_dates
from afghangeo._text.figures import Figure, find_facts, find_figures, may_hold_figures
from afghangeo._text.incidents import Incident, Key, Located, event_dates, most_precise
from afghangeo._text.mentions import Draft
from afghangeo._text.sentences import Sentence

__all__ = ["Grouping"]

_ANTECEDENT_WINDOW = 64  # how many place names back an anaphora ("That attack") looks
_FOLLOW_GAP = 2  # a sentence continues an incident whose last sentence is this close
# the opening of a sentence that tells another story
_ANOTHER = re.compile(
    r"^\W*(?:separately|elsewhere|meanwhile|in\s+(?:a\s+|an\s+)?(?:separate|another|other|"
    r"unrelated|similar)\b|also\s+on|earlier\s+(?:this|last|in)|last\s+(?:week|month|year))",
    re.IGNORECASE,
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# words of a tally over a long time: "this year", "so far", "since January"
_TALLY = Caseless(
    r"\b(?:this\s+year|so\s+far|in\s+recent\s+(?:days|weeks|months|years)|"
    rf"since\s+(?:the\s+(?:start|beginning)|last\s+year|(?:19|20)\d\d\b|(?:{_MONTHS})\b)|"
    r"(?:first|second)\s+(?:half|quarter)|(?:of|during)\s+the\s+year|annual|per\s+year)\b",
)
# words anywhere in a sentence that put its figures in another time or story
_OTHER_TIME = Caseless(
    rf"\b(?:last\s+year|in\s+(?:19|20)\d\d\b|in\s+(?:{_MONTHS})\b(?!\s+\d)|(?:a|an|the)\s+"
    r"(?:similar|previous|earlier|prior|last)\s+(?:attacks?|bombings?|assaults?|incidents?|"
    r"strikes?|raids?)|(?:years?|months?)\s+ago|a\s+year)\b",
)
# a sentence about several incidents: "two separate attacks killed 11"
_SEVERAL = Caseless(
    r"\b(?:two|three|four|five|several|separate|multiple|many|a\s+(?:series|string|wave)\s+of)"
    r"\s+(?:\w+\s+)?(?:attacks|bombings|blasts|explosions|incidents|strikes|raids|clashes)\b",
)
_LONG = dt.timedelta(days=7)  # a stretch of dates longer than this is not one incident's
_LATER = dt.timedelta(days=3)  # figures of a fight may be given for a day or two after
_CLAUSE = re.compile(r";\s*")
# a place where people speak or went, not where it happened: "officials in Kunar said",
# "residents who fled to Asadabad", "taken to a hospital in Kabul"
_SPEAKER = Caseless(
    r"\b(?:officials?|authorities|police|residents|elders|sources|officers|spokesm[ae]n|"
    r"commanders?|leaders?|council|doctors?|witness(?:es)?|journalists?|reporters?)\s+"
    r"(?:[\w-]+\s+)?in\s+(?:the\s+)?$",
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:[\w-]+\s+){0,3}?in\s+(?:the\s+)?$", re.I)
_SPOKE = re.compile(
    r"^[\w\s,-]{0,40}?\b(?:said|say|says|told|reported|confirmed|claimed)\b", re.IGNORECASE
)
_DESTINATION = Caseless(
    r"\b(?:fled|flee|fleeing|taken|brought|evacuated|moved|transferred|rushed)\s+"
    r"(?:(?:back|their\s+homes)\s+)?(?:to|in)\s+(?:(?:a|the)\s+hospital\s+in\s+)?"
    r"(?:the\s+)?(?:city\s+of\s+)?$",
)
_ASIDE_REACH = 60


class Placed(Located, Protocol):
    """A place mention with its flag and role: what :class:`~afghangeo.extract.Mention` has."""

    @property
    def text(self) -> str: ...
    @property
    def district(self) -> str | None: ...
    @property
    def foreign(self) -> bool: ...
    @property
    def role(self) -> str: ...


P = TypeVar("P", bound=Placed)


class Grouping(Generic[P]):
    """Sentences read in order and grouped into incidents by place.

    `mention` makes the place mention (``P``) of a draft; `read` takes each sentence
    index in order; `folded` gives the incidents; `facts` holds national figures.
    """

    def __init__(
        self,
        drafts: list[Draft],
        sents: list[Sentence],
        day: dt.date | None,
        mention: Callable[[Draft], P],
    ) -> None:
        self.drafts, self.sents, self.day = drafts, sents, day
        self.of_sentence = [d.sentence for d in drafts]  # sorted: drafts are in text order
        self.by_sentence: dict[int, list[P]] = {}
        self.starts: dict[int, list[int]] = {}
        for d in drafts:
            self.by_sentence.setdefault(d.sentence, []).append(mention(d))
            self.starts.setdefault(d.sentence, []).append(d.start)
        self.incidents: list[Incident[P]] = []
        self.by_places: dict[frozenset[Key], Incident[P]] = {}
        self.by_place: dict[Key, Incident[P]] = {}
        self.facts: list[dict[str, Any]] = []
        self.period: list[DateSpan] = []
        self.last: Incident[P] | None = None
        self.anchor: dt.date | None = None  # the date of the last incident read
        self.pending: tuple[int, list[Figure], list[DateSpan]] | None = None
        self.events: set[int] = set()  # the sentences read that report violence

    def read(self, k: int, *, event: bool) -> None:
        """Read sentence `k`: a new incident, more of one, a national fact, or nothing.

        A sentence that does not report violence (`event` false) can only continue the
        incident before it with figures ("About 300 families fled").
        """
        s = self.sents[k]
        if event:
            self.events.add(k)
        else:
            if self.last is not None and may_hold_figures(s.text) and not _national(s.text):
                self._unit(k, s.text, s.start, [], event=False)
            return
        if _national(s.text):
            self.facts.extend(find_facts(s.text, offset=s.start))
            return
        for text, offset, places in self._units(k):
            self._unit(k, text, offset, places, event=True)

    def _units(self, k: int) -> list[tuple[str, int, list[P]]]:
        """The sentence, or its clauses when they name the places of different events."""
        s = self.sents[k]
        places = [
            (m, p - s.start)
            for m, p in zip(self.by_sentence.get(k, []), self.starts.get(k, []), strict=True)
            if not m.foreign and m.role == "event"
        ]
        places = self._incident_places(k, places)
        cuts = [m.end() for m in _CLAUSE.finditer(s.text)] if ";" in s.text else []
        if not cuts or len(places) < 2:
            return [(s.text, s.start, [m for m, _ in places])]
        groups: list[tuple[int, int, list[P]]] = []  # (start, end, places) in the sentence
        for a, b in itertools.pairwise([0, *cuts, len(s.text)]):
            here = [m for m, p in places if a <= p < b]
            if here or not groups:
                groups.append((a, b, here))
            else:  # a clause with no place goes with the one before it
                groups[-1] = (groups[-1][0], b, groups[-1][2])
        if len(groups) > 1 and not groups[0][2]:  # so does a lead clause with none
            groups[1] = (0, groups[1][1], groups[1][2])
            del groups[0]
        return [(s.text[a:b], s.start + a, here) for a, b, here in groups]

    def _incident_places(self, k: int, places: list[tuple[P, int]]) -> list[tuple[P, int]]:
        """The event places of sentence `k` but those where people spoke or went.

        Those stay when there is nothing else: no other place, no incident to go on with.
        """
        text = self.sents[k].text
        asides = [_aside(text, m, p) for m, p in places]
        if not any(asides):
            return places
        kept = [mp for mp, aside in zip(places, asides, strict=True) if not aside]
        last = self.last
        if kept or (
            last is not None
            and k - max(last.sentences) <= _FOLLOW_GAP
            and {m.province for m, _ in places} <= last.provinces()
        ):
            return kept
        return places

    def _unit(self, k: int, text: str, offset: int, found: list[P], *, event: bool) -> None:
        figures = find_figures(text, offset)
        dates = find_dates(text, self.day, anchor=self.anchor)
        if event:
            self.period.extend(dates)
        places = most_precise(found)
        if not places:
            target = self._follows(k, text, dates, figures)
            if target is None and event and figures and not self._elsewhere(k, text):
                target = self._before(k)
                self.pending = None if target else (k, figures, dates)  # the place may come next
            if target is not None:
                target.add(k, figures, _more_dates(target, dates))
            return
        mine = [d for d in dates if not d.reported]
        if not any(d.last - d.first <= _LONG for d in mine) and _TALLY.search(text):
            return  # background: "Kunduz has seen heavy fighting this year"
        target = self._incident_at(k, text, places, dates)
        target.add(k, figures, dates)
        if not target.sentences[:-1]:  # new: it may take the figures of the sentence before
            self._take_pending(k, target)
        self.last, self.pending = target, None
        days = event_dates(target.dates)
        if days:
            self.anchor = min(d.first for d in days)

    def _incident_at(
        self, k: int, text: str, places: list[P], dates: list[DateSpan]
    ) -> Incident[P]:
        """The incident sentence `k` reports at `places`: one read before, or a new one."""
        keys = frozenset((m.name, m.province) for m in places)
        target = self.by_places.get(keys)
        if target is not None and not _same_time([d for d in dates if not d.reported], target):
            target = None  # the same place, another day: another incident
        target = target or self._refined(k, text, places, dates)
        if target is None:
            target = Incident(places)
            self.incidents.append(target)
            self.by_places[keys] = target
            for key in keys:
                self.by_place[key] = target
        return target

    def _before(self, k: int) -> Incident[P] | None:
        """An incident at the places of the sentence before, which told of no violence.

        "An army helicopter came down in Pusht Rod district on Thursday. Two pilots were
        killed." is an incident in Pusht Rod.
        """
        if k == 0 or k - 1 in self.events or (self.last and max(self.last.sentences) >= k - 1):
            return None
        places = most_precise(
            [m for m in self._at(k - 1) if not m.foreign and m.role in ("other", "event")]
        )
        if not places:
            return None
        text = self.sents[k - 1].text
        dates = find_dates(text, self.day, anchor=self.anchor)
        target = self._incident_at(k - 1, text, places, dates)
        target.add(k - 1, [], dates)
        self.last = target
        return target

    def _take_pending(self, k: int, target: Incident[P]) -> None:
        """Give a new incident the figures of the sentence before, which named no place.

        "At least 20 were killed in a bombing. It hit a mosque in Kunduz." Only the kinds
        of figure the incident lacks: "Two attacks killed 11. In Farah, ... killing
        seven." keeps 7, and never from a sentence about several attacks.
        """
        if self.pending is None or self.pending[0] != k - 1:
            return
        before, figures, dates = self.pending
        if _SEVERAL.search(self.sents[before].text):
            return
        target.add(before, [f for f in figures if f.what not in target.figures])
        if not event_dates(target.dates):
            target.dates.extend(dates)

    def _follows(
        self, k: int, text: str, dates: list[DateSpan], figures: list[Figure]
    ) -> Incident[P] | None:
        """The incident a sentence naming no event place continues, if any."""
        mine = [d for d in dates if not d.reported]
        if not figures or self._elsewhere(k, text) or any(d.last - d.first > _LONG for d in mine):
            return None
        if lexicon.ANAPHORA.match(text):
            return self._antecedent(k) or self.last
        last = self.last
        if last is None or k - max(last.sentences) > _FOLLOW_GAP:
            return None
        return last if _same_time(mine, last) else None

    def _refined(
        self, k: int, text: str, places: list[P], dates: list[DateSpan]
    ) -> Incident[P] | None:
        """The incident before, when sentence `k` names a place within its district.

        "... shot dead a judge in Kabul on Sunday. She was attacked in the Qala-e
        Fatullah area of the city." is one incident, at both places.
        """
        last = self.last
        if last is None or k - max(last.sentences) > _FOLLOW_GAP or self._elsewhere(k, text):
            return None
        districts = {(m.province, m.district) for m in last.places if m.district}
        if not all((m.province, m.district) in districts for m in places):
            return None
        if not _same_time([d for d in dates if not d.reported], last):
            return None
        last.places.extend(m for m in places if m not in last.places)
        return last

    def _elsewhere(self, k: int, text: str) -> bool:
        """Whether sentence `k` tells of another story, time or country."""
        return bool(
            _ANOTHER.match(text)
            or _OTHER_TIME.search(text)
            or _TALLY.search(text)
            or any(m.foreign and m.role == "event" for m in self._at(k))
        )

    def _at(self, k: int) -> list[P]:
        return self.by_sentence.get(k, [])

    def _antecedent(self, k: int) -> Incident[P] | None:
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

    def folded(self) -> list[Incident[P]]:
        """The incidents; a province-only one merges into the first precise one there."""
        hosts: dict[str | None, list[Incident[P]]] = {}
        for inc in self.incidents:
            if inc.precise():
                for province in inc.provinces():
                    hosts.setdefault(province, []).append(inc)
        out: list[Incident[P]] = []
        for inc in self.incidents:
            host = None if inc.precise() else _host(inc, hosts)
            if host is None:
                out.append(inc)
                continue
            host.absorb(inc)
        return out


@functools.lru_cache(maxsize=4096)  # boilerplate sentences recur across articles
def _national(text: str) -> bool:
    return lexicon.NATIONAL.search(text) is not None


def _aside(text: str, m: Placed, pos: int) -> bool:
    """Whether the place at `pos` of a sentence is where people spoke or went."""
    before = max(0, pos - _ASIDE_REACH)
    if _DESTINATION.search(text, before, pos) or _ACCORDING.search(text, before, pos):
        return True
    after = pos + len(m.text)
    return bool(_SPEAKER.search(text, before, pos)) and bool(_SPOKE.match(text[after:]))


def _same_time(dates: list[DateSpan], inc: Incident[Any]) -> bool:
    """Whether `dates` (of events) can be the time of `inc`.

    Yes with no dates, when near the incident's own, or before the day it was reported
    when it has no date of its own ("police said on Tuesday ... The clashes, which began
    on Sunday, ...").
    """
    if not dates:
        return True
    theirs = [d for d in inc.dates if not d.reported]
    if theirs:
        return any(_near(a, b) for a in dates for b in theirs)
    return all(any(a.first <= r.last for a in dates) for r in inc.dates)


def _more_dates(inc: Incident[Any], dates: list[DateSpan]) -> list[DateSpan]:
    """The dates a sentence that continues `inc` adds: its events' when `inc` has none."""
    if any(not d.reported for d in inc.dates):
        return []
    events = [d for d in dates if not d.reported]
    return events or ([] if inc.dates else dates)


def _near(a: DateSpan, b: DateSpan) -> bool:
    """Whether `a` can be the time of the incident at `b`: the same days or a few after."""
    return a.first <= b.last + _LATER and b.first <= a.last


def _host(inc: Incident[P], hosts: dict[str | None, list[Incident[P]]]) -> Incident[P] | None:
    wanted = inc.provinces()
    first = next(iter(wanted))
    return next((o for o in hosts.get(first, []) if o.provinces() >= wanted), None)
