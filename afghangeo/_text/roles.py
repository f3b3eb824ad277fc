"""What a text says happened at a place: the role of each place name.

A place is the place of an ``event`` when its sentence reports violence, unless the
words around it say otherwise:

- a ``dateline`` ("KABUL, Afghanistan —") or a ``reporting`` location ("reported from
  Kandahar", "officials in Khost said");
- a place in a title ("the Takhar police chief", "Nimruz's deputy governor", "the
  governor of Kunduz", "officials in Khost"): ``reporting``, unless neither its
  sentence nor its paragraph names a better place for the event (then it is the
  event's place, read as the province);
- a relation that is not containment ("fighters who came from Helmand and Zabul", "two
  hours south of Kabul", "on the road to Kabul", "based in Zabul", "fled to Asadabad",
  the ends of "the Kabul-Jalalabad road"): ``other``. A name listed after such a name
  ("from Helmand and Zabul") shares its role.

Only sentences that report violence are read this closely; in others every name is
``other``. The rules read at most a few dozen characters on either side of a name, as
words looked up in small sets, so a text is read in linear time.

>>> import afghangeo as ag
>>> text = ("Fighters who came from Zabul attacked Nangarhar's Achin district, "
...         "the Khost governor said.")
>>> [(m.text, m.province, m.role) for m in ag.extract_places(text)]
[('Zabul', 'Zabul', 'other'), ('Nangarhar', 'Nangarhar', 'other'), \
('Achin', 'Nangarhar', 'event'), ('Khost', 'Khost', 'reporting')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from afghangeo._text.ask import geocode_surface
from afghangeo._text.caseless import Caseless
from afghangeo._text.mentions import Draft, Role, SentenceFacts

__all__ = ["Why", "relation", "role", "settle"]

#: Why a name is not the place of its sentence's event.
Why = Literal["", "title", "road", "relation"]

_WINDOW = 160  # how far before a name "reported from" is looked for, in characters
_NEAR = 60  # how far before a name the other cues are looked for

# What follows a dateline: "KABUL, Afghanistan —", "KANDAHAR (Reuters) -"
_AFTER_DATELINE = re.compile(
    r"^(?:\s*,\s*[A-Z][\w .'’-]{0,30}?)?\s*(?:\([^)\n]{1,30}\)\s*)?(?:—|–|--|-\s|:)"
)
# "Mujib Mashal reported from ", "contributed reporting from "
_REPORTING = Caseless(
    r"\b(?:report(?:ed|ing|s)?|contribut(?:ed|ing)|fil(?:ed|ing)|wrote|writes|"
    r"dispatch)\b[^.;]*\bfrom\s+$",
)
_OFFICE = (
    r"(?:governors?|police|council|officials?|authorities|spokes(?:man|woman|person)|"
    r"chief|commander|administration|office|government|hospital|director|head|army|"
    r"corps|garrison|intelligence|prosecutor|lawmakers?|deputy|security\s+(?:chief|forces\s+"
    r"commander)|provincial\s+(?:council|governor|police|officials?|spokes(?:man|woman)|"
    r"chief|head|director|administration|government|office))"
)
# "the Takhar police chief", "Nimruz's deputy governor", "Khost governor's office"
_TITLE_AFTER = re.compile(
    rf"^(?:['’‘]s)?\s+(?:(?:acting|former|deputy|district|local|public\s+health|"
    rf"health|education|border)\s+)?{_OFFICE}\b",
    re.IGNORECASE,
)
# The words before a name that take it out of the event, read as words from the name
# backwards (set look-ups, no search): a gate word the phrase ends with ("from", "to",
# "in", "of", ...; "the", "city of", "capital," after it set aside), and a head word at
# most four words before it in the same clause. A relation puts the place elsewhere
# ("came from", "fled to", "based in", "south of", "border with"); a title makes it
# the place of an office ("governor of", "officials in").
_FROM_HEADS = (
    "came come comes coming crossed crossing infiltrated travelled traveled travelling "
    "traveling moved followed fired launched sent brought transferred deployed flown hailed "
    "hailing hails originally returned returning fighters insurgents militants attackers "
    "gunmen reinforcements troops delegation delegates"
)
_TO_HEADS = (
    "fled flee flees fleeing travelled traveled travelling traveling headed heading bound "
    "road highway route way sent taken brought transferred evacuated moved returned "
    "returning link links linking connect connects connecting journey trip drive"
)
_IN_HEADS = "based trained headquartered sheltering hiding"
_TAKEN = frozenset("taken brought transferred evacuated rushed airlifted flown".split())
_POINTS = (
    "north south east west northeast northwest southeast southwest north-east north-west "
    "south-east south-west"
).split()
_DIRECTIONS = frozenset(_POINTS) | frozenset(f"{p}ern" for p in _POINTS)
_TITLES_OF = frozenset(
    "governor chief spokesman spokeswoman spokesperson commander head director mayor".split()
)
_TITLES_IN = frozenset(
    "officials authorities police lawmakers spokesman spokeswoman spokesperson".split()
)
#: Gate word: the head words that make a relation with it.
_RELATIONS: dict[str, frozenset[str]] = {
    gate: frozenset(words.split())
    for gates, words in (
        ("from", _FROM_HEADS),
        ("to toward towards for", _TO_HEADS),
        ("in", _IN_HEADS),
        ("with", "border borders"),
    )
    for gate in gates.split()
}
_SUFFIX = frozenset(("the", "city", "town", "province", "capital", "capital,", "provincial"))
_CLAUSE_ENDS = (",", ";", ":", ".", "—", "–", '"', "”")


def _gate(words: list[str]) -> int:
    """Where the gate word of `words` is ("the", "city of" set aside), or -1."""
    k = len(words) - 1
    while k >= 0 and (
        words[k] in _SUFFIX or (words[k] == "of" and k > 0 and words[k - 1] in _SUFFIX)
    ):
        k -= 2 if words[k] == "of" else 1
    return k


def _before(before: str) -> Why:
    """What the words right before a name make of it: "relation", "title" or ""."""
    words = before[-_NEAR:].lower().split()[-10:]
    k = _gate(words)
    if k < 0:
        return ""
    gate, prev = words[k], words[k - 1] if k > 0 else ""
    if gate == "bordering" or (
        gate == "of" and prev in _DIRECTIONS and (k < 2 or words[k - 2] != "the")
    ):
        return "relation"
    if (gate in ("of", "for") and prev in _TITLES_OF) or (gate == "in" and _official(words, k)):
        return "title"
    heads = _RELATIONS.get(gate)
    if heads is None:
        return ""
    for j in range(k - 1, max(-1, k - 6), -1):
        if words[j].endswith(_CLAUSE_ENDS):
            break
        if words[j] in heads or (
            gate == "in" and words[j] == "to" and j > 0 and words[j - 1] in _TAKEN
        ):
            return "relation"
    return ""


def _official(words: list[str], k: int) -> bool:
    """Whether "officials in", "police in" or "officials based in" stands before the name."""
    prev = words[k - 1] if k > 0 else ""
    if prev == "based" and k > 1:
        prev = words[k - 2]
    return prev in _TITLES_IN


_AFTER_STARTS = frozenset(" \t\n\u00a0'’‘-–—")  # what _AFTER and _ROAD_WORD start with
# "the Kabul-Jalalabad road", "the Herat highway"
_ROAD_AFTER = re.compile(
    r"^(?:\s*[-–—]\s*[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?)?\s+(?:highway|road|motorway)\b",
    re.IGNORECASE,
)
_ROAD_BEFORE = re.compile(r"[A-Za-z]\s*[-–—]\s*$")
_DASHES = frozenset("-–—")
_AFTER = re.compile(
    rf"(?P<title>{_TITLE_AFTER.pattern})|(?P<road>{_ROAD_AFTER.pattern})", re.IGNORECASE
)
_ROAD_WORD = re.compile(r"^\s+(?:highway|road|motorway)\b", re.IGNORECASE)
# "Helmand and Zabul", "Helmand, Zabul or Kandahar": a list of names
_LIST_GAP = re.compile(
    r"^(?:\s+(?:province|provinces|districts?))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$"
)


def relation(before: str, after: str) -> Why:
    """Why the words around a name (`before` it, `after` it) take it out of the event."""
    why = _before(before)
    if why:
        return why
    if after[:1] not in _AFTER_STARTS:
        return ""
    m = _AFTER.match(after)
    if m is not None:
        return "title" if m["title"] is not None else "road"
    if before.rstrip()[-1:] in _DASHES and _ROAD_BEFORE.search(before[-3:]) and _road_end(after):
        return "road"
    return ""


def _road_end(after: str) -> bool:
    """Whether `after` ("road in Surobi") follows the last name of "Kabul-Jalalabad road"."""
    return _ROAD_WORD.match(after) is not None


def role(text: str, draft: Draft, facts: SentenceFacts) -> tuple[Role, Why]:
    """The role of `draft` in its sentence, and why it is not ``event`` if so."""
    start, end, sentence = draft.start, draft.end, facts.sentence
    after = text[end : min(end + 40, sentence.end)]
    if facts.para_start and sentence.start == start and _AFTER_DATELINE.match(after):
        return "dateline", ""
    before = text[max(sentence.start, start - _WINDOW) : start]
    if before.rstrip()[-4:] == "from" and (facts.reported or _REPORTING.search(before)):
        return "reporting", ""
    if not facts.event:
        return "other", ""
    why = relation(before, after)
    if why == "title":
        return "reporting", why
    return ("other" if why else "event"), why


def settle(text: str, drafts: Iterable[Draft], facts: list[SentenceFacts]) -> None:
    """Roles decided by the other names: lists share a relation, titles may be the event.

    A name listed after one in a relation ("from Helmand and Zabul") is in it too. A
    place in a title is the event's place after all when its
    sentence names no other event place that is more precise or in another province,
    and its paragraph no precise event place in its province ("The Takhar police chief
    said five officers were killed").
    """
    by_sentence: dict[int, list[Draft]] = {}
    by_paragraph: dict[int, set[str | None]] = {}  # provinces of a paragraph's precise events
    previous: Draft | None = None
    for d in drafts:
        if (
            previous is not None
            and previous.why == "relation"
            and previous.sentence == d.sentence
            and d.why != "relation"
            and _LIST_GAP.match(text[previous.end : d.start])
        ):
            d.why, d.role = "relation", "other"
        by_sentence.setdefault(d.sentence, []).append(d)
        if d.role == "event" and d.place is not None and d.place.precision != "province":
            by_paragraph.setdefault(facts[d.sentence].sentence.paragraph, set()).add(
                d.place.province
            )
        previous = d
    for k, group in by_sentence.items():
        if facts[k].event:
            _settle_sentence(group, by_paragraph.get(facts[k].sentence.paragraph, set()))


def _settle_sentence(group: list[Draft], provinces: set[str | None]) -> None:
    events = [d for d in group if d.role == "event" and not d.foreign and d.place is not None]
    for d in group:
        if d.why != "title" or d.place is None or d.role == "dateline":
            continue
        if d.place.kind == "capital" and d.query == d.surface:  # "the Kandahar governor"
            province = geocode_surface(f"{d.surface} province")
            if province is not None and province.province == d.place.province:
                d.place = province
        if d.place.province in provinces:
            continue  # the paragraph names where in the province it happened
        if not any(_elsewhere(e, d) for e in events):
            d.role = "event"


def _elsewhere(e: Draft, d: Draft) -> bool:
    """Whether event place `e` is more precise than `d`, or in another province."""
    assert e.place is not None
    assert d.place is not None
    return e.place.province != d.place.province or e.place.precision != "province"
