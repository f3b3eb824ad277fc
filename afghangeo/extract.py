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
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, NamedTuple

import pandas as pd

from afghangeo import _text
from afghangeo import registry as user_gazetteer
from afghangeo._geo import great_circle_km as distance_km
from afghangeo.errors import InvalidInputError
from afghangeo.gazetteer import Gazetteer, is_foreign
from afghangeo.geocoder import geocode
from afghangeo.names import CONNECTORS, GENERIC_WORDS, fold_name, is_arabic_script, name_key
from afghangeo.place import Place

__all__ = ["Mention", "extract_incidents", "extract_places"]

Role = Literal["event", "dateline", "reporting", "other"]

# --- words -----------------------------------------------------------------------------

# Titles before a person's name: the capitalised word after them is a person.
_TITLES = frozenset(
    "mr mrs ms miss dr gen general president minister col colonel maj major capt captain "
    "lt lieutenant sgt sergeant cmdr commander gov governor sen senator rep prof judge "
    "mullah mawlawi maulvi mawlavi haji hajji sheikh sayed sayyed qari ustad engineer eng "
    "ambassador envoy spokesman king queen prince emir amir marshal".split()
)
# Capitalised words that are not places whatever the gazetteer says: demonyms and groups.
_NEVER_PLACES = frozenset(
    "afghan afghans american americans pakistani pakistanis iranian iranians qatari "
    "russian russians chinese indian british taliban talib taleban mujahideen pashtun "
    "pashtuns tajik tajiks hazara hazaras uzbek uzbeks baluch turkmen nato un isis "
    "daesh muslim muslims islamic islam ramadan eid allah god".split()
    # months and weekdays: "March 10" is a date, not the village of March
    + "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)
# Words a sentence may start with, capitalised only by position.
_FUNCTION_WORDS = frozenset(
    "a an the in on at of for from to by with as and or but if while when where after "
    "before since during near outside inside into across around between this that these "
    "those some many most both each every its their his her our it they he she we "
    "last late early then there here one two three several all".split()
)
# Capitalised words that may follow a place name without making it part of another name.
_PLACE_TAILS = frozenset(
    "province provincial district city town village valley river pass airport airfield "
    "air base bazaar bazar dam highway road prison jail gate gates square market "
    "area region center centre capital".split()
)
_DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeastern "
    "northwestern southeastern southwestern northeast northwest southeast southwest "
    "upper lower greater".split()
)

_EVENT = re.compile(
    r"\b(?:attack(?:s|ed|ing|ers?)?|offensive|assault(?:s|ed)?|fight(?:ing|s)?|fought|"
    r"clash(?:es|ed)?|battle(?:s|d)?|kill(?:ed|ing|s)?|wound(?:ed|ing)|injur(?:ed|ing|ies)|"
    r"dead|died|overr(?:a|u)n(?:ning)?|ambush(?:ed|es)?|bomb(?:s|ed|ing|ings)?|blast(?:s)?|"
    r"explo(?:sion|sions|ded)|airstrikes?|air\s+strikes?|strikes?|shell(?:ing|ed)|"
    r"rockets?|mortars?|suicide|gunmen|besieged?|siege|captured?|seized?|overtook|"
    r"stormed|violence|under\s+fire|displac(?:ed|ing)|push(?:ed|ing)?\s+(?:for|into|toward)|"
    r"insurgents?\s+(?:took|advanced))\b",
    re.IGNORECASE,
)
# Statements about the whole country, rates and averages: facts, not incidents.
_NATIONAL = re.compile(
    r"\b(?:across\s+(?:the\s+country|afghanistan)|nationwide|(?:per|each|every|a)\s+day|"
    r"daily|on\s+average|an\s+average|the\s+average|of\s+the\s+country'?s|"
    r"\d+\s+of\s+(?:the\s+)?(?:country's\s+)?\d+\s+provinces|every\s+(?:week|month))\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"^\s*(?:(?:that|the|this)\s+(?:\w+\s+){0,2}(?:attack|assault|offensive|ambush|"
    r"fighting|clash|raid|bombing|blast|explosion|strike)|it\b|they\b)",
    re.IGNORECASE,
)

# The words that can be part of a name: capitalised or Arabic-script words, connectors
# (the ezafe of Qala-e Naw) and words after a hyphen; other words are never looked at.
_TOKEN = re.compile(
    r"(?:(?<=[-‐‑])|(?=[A-Z\u00c0-\u00de\u0100-\u024f\u0600-\u06ff\u0750-\u077f'’‘ʿ])|"
    r"(?<![\w'’‘ʿ])(?=(?:e|i|ye|yi|y|a|o|u|wa|va|ee)\b))"
    r"['’‘ʿ]?[^\W\d_][^\W\d_\u0300-\u036f]*(?:[\u0300-\u036f]+[^\W\d_]*)*"
    r"(?:['’‘`ʿʾ][^\W\d_]+)*"
)
_NAME = r"(?:[A-Z][\w'’`]+(?:(?:[ -](?:e|i|ye|y|a|o|u)-?|[ -])[A-Z][\w'’`]+){0,3})"
_NAMES = rf"{_NAME}(?:(?:,\s*|,?\s+and\s+|,?\s+or\s+){_NAME})*"
_CUE_SUBURBS = re.compile(
    r"\b(?:suburbs?|outskirts|villages?|areas?|neighbou?rhoods?|localit(?:y|ies)|"
    rf"outposts?\s+in)\s+of\s+(?:the\s+)?(?P<names>{_NAMES})"
)
_RELATION = (
    r"(?:neighbou?ring|near|outside|bordering|adjacent\s+to|close\s+to|next\s+to|"
    r"(?:just\s+)?(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of)"
)
_CUE_NEAR = re.compile(
    rf"(?P<name>{_NAME}),?\s+(?:an?\s+(?:[\w-]+\s+){{0,2}}?(?:district|village|town|area|"
    rf"suburb|city|bazaar|valley)\s+(?:[\w-]+\s+){{0,2}}?)?{_RELATION}\s+(?:the\s+)?"
    rf"(?:city\s+of\s+|provincial\s+capital,?\s+|capital,?\s+)?(?P<anchor>{_NAME})"
)
_CUE_OF = re.compile(
    rf"(?P<name>{_NAME})\s+(?:district|village|area|town)\s+(?:of|in)\s+(?:the\s+)?"
    rf"(?P<anchor>{_NAME})"
)
_CUE_IN = re.compile(
    rf"(?P<name>{_NAME}),?\s+in\s+(?:the\s+)?(?:\w+ern\s+)?(?P<anchor>{_NAME}\s+[Pp]rovince)"
)
_REPORTING = re.compile(
    r"\b(?:report(?:ed|ing|s)?|contribut(?:ed|ing)|fil(?:ed|ing)|wrote|writes|"
    r"dispatch)\b[^.;]*\bfrom\s+$",
    re.IGNORECASE,
)
_AFTER_DATELINE = re.compile(
    r"^(?:\s*,\s*[A-Z][\w .'’-]{0,30}?)?\s*(?:\([^)\n]{1,30}\)\s*)?(?:—|–|--|-\s|:)"
)


# --- the mention -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text.

    Attributes
    ----------
    text : str
        The words as written (``"Helmand Province"``, ``"KABUL"``).
    start, end : int
        Character span: ``text == article[start:end]``.
    name, province, district : str or None
        The resolved place (canonical province and district), None for a foreign place.
    lat, lon : float
        WGS84 degrees; NaN for a foreign place.
    precision : {"place", "district", "province"} or None
        What the point means. A place the gazetteer lacks but the text puts near
        another ("the suburbs of Babaji" of Lashkar Gah) gets that place's point,
        its province, no district, precision ``"province"``, score 0.8 and `near` set.
    kind : str or None
        Gazetteer kind (``province``, ``district``, ``capital``, ``town`` ...).
    score : float
        Confidence 0–1, as for :func:`~afghangeo.geocoder.geocode`, lowered when only
        the context chose among places of the same name.
    foreign : bool
        True for a recognised place outside Afghanistan (Doha, Qatar, Washington).
    role : {"event", "dateline", "reporting", "other"}
        ``event`` where the sentence reports violence there, ``dateline`` for the
        place an article is filed from, ``reporting`` for "reported from Kandahar".
    near : str or None
        The place the text relates this one to ("neighboring Lashkar Gah").
    alternatives : tuple of str
        Other places the name may mean, as ``"name (province)"``.
    """

    text: str
    start: int
    end: int
    name: str | None
    province: str | None
    district: str | None
    lat: float
    lon: float
    precision: str | None
    kind: str | None
    score: float
    foreign: bool = False
    role: Role = "other"
    near: str | None = None
    alternatives: tuple[str, ...] = ()

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
        """The fields as a dict."""
        return asdict(self)


# --- the phrase index ------------------------------------------------------------------


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    fold: str
    capital: bool


@functools.lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, bool]:
    """Folded form of a word, and whether it may start a name (capital or Arabic script)."""
    first = word.lstrip("'’‘ʿ")[:1] or word[0]
    arabic = "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f"
    return fold_name(word), first.isupper() or arabic


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        fold, capital = _word(word)
        out.append(_Token(m.start(), m.end(), word, fold, capital))
    return out


def _joins(text: str, a: _Token, b: _Token) -> bool:
    """Whether tokens `a` and `b` may belong to one name (a space or hyphen between)."""
    gap = text[a.end : b.start]
    if gap in (" ", "-", "‐", "‑", "\u00a0", "\u200c"):
        return True
    return gap == "." and len(a.text) == 1 and len(b.text) == 1  # U.S.


def _can_start(tok: _Token) -> bool:
    return tok.capital and tok.fold not in _FUNCTION_WORDS and tok.fold not in GENERIC_WORDS


def _can_continue(tok: _Token, prev_gap_hyphen: bool) -> bool:
    return tok.capital or tok.fold in CONNECTORS or prev_gap_hyphen


def _match_phrases(text: str, tokens: list[_Token], build: int) -> list[tuple[int, int, bool]]:
    """Token ranges (i, j) that name a gazetteer or foreign place, longest first."""
    gaz = user_gazetteer.built(build)
    found: list[tuple[int, int, bool]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not _can_start(tok):
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 6 and _joins(text, tokens[j - 1], tokens[j]):
            if not _can_continue(tokens[j], text[tokens[j - 1].end] in "-‐‑"):
                break
            j += 1
        hit = None
        for end in range(j, i, -1):
            if tokens[end - 1].fold in CONNECTORS:
                continue
            phrase = text[tok.start : tokens[end - 1].end]
            if is_foreign(phrase):
                hit = (i, end, True)
                break
            key = name_key(phrase)
            if gaz.has_key(key) and _good_match(gaz, phrase, key):
                hit = (i, end, False)
                break
        if hit is None or sum(len(t.text) for t in tokens[hit[0] : hit[1]]) < 2:
            i += 1
            continue
        found.append(hit)
        i = hit[1]
    return found


def _good_match(gaz: Gazetteer, phrase: str, key: str) -> bool:
    """A key hit close enough to a real spelling to be that name in running text."""
    if gaz.has_spelling(fold_name(phrase)):
        return True
    if len(key) < 4 and not is_arabic_script(phrase):
        return False
    return any(c.similarity >= 0.8 for c in gaz.candidates(phrase, fuzzy=False))


# --- rules -----------------------------------------------------------------------------


def _run(tokens: list[_Token], text: str, i: int, j: int) -> tuple[int, int]:
    """The run of capitalised tokens (joined by spaces) around tokens[i:j]."""
    a = i
    while a > 0 and tokens[a - 1].capital and text[tokens[a - 1].end : tokens[a].start] == " ":
        a -= 1
    b = j
    while (
        b < len(tokens) and tokens[b].capital and text[tokens[b - 1].end : tokens[b].start] == " "
    ):
        b += 1
    return a, b


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?\n:;—–"


def _is_not_a_place(tokens: list[_Token], text: str, i: int, j: int, spans: set[int]) -> bool:
    """A person's or organisation's name, or a demonym, rather than a place."""
    words = [t.fold for t in tokens[i:j]]
    if len(words) == 1 and words[0] in _NEVER_PLACES:
        return True
    prev = tokens[i - 1] if i else None
    if prev is not None and prev.fold.rstrip(".") in _TITLES:
        gap = text[prev.end : tokens[i].start]
        if gap.strip(" .") == "":
            return True
    a, b = _run(tokens, text, i, j)
    for k in (*range(a, i), *range(j, b)):
        tok = tokens[k]
        if k in spans:  # another place: "Kabul Kandahar highway"
            continue
        if k > j - 1 and tok.fold in _PLACE_TAILS:
            continue
        if k < i and tok.fold in _DIRECTIONS:
            continue
        if k == a and k < i and tok.fold in _FUNCTION_WORDS and _sentence_start(text, tok.start):
            continue
        if tok.fold in CONNECTORS:
            continue
        return True
    return False


@functools.lru_cache(maxsize=4096)
def _is_event(sentence: str) -> bool:
    return _EVENT.search(sentence) is not None


def _role(text: str, start: int, end: int, sentence: _text.Sentence, para_start: bool) -> Role:
    if para_start and sentence.start == start and _AFTER_DATELINE.match(text[end : end + 40]):
        return "dateline"
    before = text[sentence.start : start]
    if _REPORTING.search(before) or (
        re.search(r"\bfrom\s+$", before) and re.search(r"\breport", sentence.text, re.I)
    ):
        return "reporting"
    if _is_event(sentence.text):
        return "event"
    return "other"


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _options(place: Place) -> list[Place]:
    return [place, *place.alternatives]


def _choose(
    place: Place, anchors: list[Place], score: float, limit_km: float = 150.0
) -> Place | None:
    """The place among `place` and its alternatives nearest to one of `anchors`."""
    best: tuple[float, Place] | None = None
    for option in _options(place):
        for anchor in anchors:
            if option.province is not None and option.province == anchor.province:
                d = 0.0 if anchor.precision == "province" else _km(option, anchor)
            else:
                d = _km(option, anchor) + 50.0
            if best is None or d < best[0]:
                best = (d, option)
    if best is None or best[0] > limit_km:
        return None
    chosen = best[1]
    others = tuple(o for o in _options(place) if o is not chosen)
    return replace(chosen, score=score, alternatives=others)


# --- extract_places --------------------------------------------------------------------


@dataclass
class _Draft:
    start: int
    end: int
    surface: str
    foreign: bool
    sentence: int
    place: Place | None = None
    role: Role = "other"
    near: str | None = None


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        msg = f"Expected the article text as a str, got {type(text).__name__}."
        raise InvalidInputError(msg)
    return text


def extract_places(text: str) -> list[Mention]:
    """Places named in a text, resolved, with character spans and roles.

    Parameters
    ----------
    text : str
        An article or any piece of text, in English (Dari/Pashto place names in Arabic
        script are found too).

    Returns
    -------
    list of Mention
        In order of position; one per occurrence. Afghan places carry their province,
        district, point, precision and score; foreign places have ``foreign=True``.

    Examples
    --------
    >>> text = ("KABUL, Afghanistan — The Taliban attacked Nawa, a district neighboring "
    ...         "Lashkar Gah, said Ataullah Afghan. Talks continue in Doha.")
    >>> [(m.text, m.province, m.role, m.foreign) for m in ag.extract_places(text)]
    [('KABUL', 'Kabul', 'dateline', False), ('Nawa', 'Helmand', 'event', False), \
('Lashkar Gah', 'Helmand', 'other', False), ('Doha', None, 'other', True)]
    """
    text = _check_text(text)
    drafts, _ = _drafts(text)
    return [_mention(d) for d in drafts]


def _drafts(text: str) -> tuple[list[_Draft], list[_text.Sentence]]:
    build = user_gazetteer.active()[0]
    sents = _text.sentences(text)
    tokens = _tokens(text)
    matches = _match_phrases(text, tokens, build)
    spans = {k for i, j, _ in matches for k in range(i, j)}
    sent_of = _sentence_index(sents)
    para_starts = {
        s.start for k, s in enumerate(sents) if k == 0 or sents[k - 1].paragraph != s.paragraph
    }
    drafts: list[_Draft] = []
    resolved: dict[str, Place | None] = {}
    for i, j, foreign in matches:
        if not foreign and _is_not_a_place(tokens, text, i, j, spans - set(range(i, j))):
            continue
        start, end = tokens[i].start, tokens[j - 1].end
        if j - i > 1 and len(tokens[j - 1].text) == 1 and text[end : end + 1] == ".":
            end += 1  # U.S.
        k = sent_of(start)
        draft = _Draft(start, end, text[start:end], foreign, k)
        if not foreign:
            if draft.surface not in resolved:
                resolved[draft.surface] = _geocode_surface(build, draft.surface)
            draft.place = resolved[draft.surface]
            if draft.place is None:
                continue
        draft.role = _role(text, start, end, sents[k], sents[k].start in para_starts)
        drafts.append(draft)
    _apply_cues(text, drafts, sents, sent_of)
    _disambiguate(drafts, sents)
    return drafts, sents


_KIND_WORDS = {"province": ("province",), "provincial": ("province",), "district": ("district",)}


@functools.lru_cache(maxsize=65536)
def _geocode_surface(build: int, surface: str) -> Place | None:
    """Geocode a name as written; "Ghazni Province" is the province, not the city.

    `build` (the gazetteer build in use) is only part of the cache key.
    """
    last = surface.rsplit(None, 1)[-1].lower()
    kinds = _KIND_WORDS.get(last)
    if kinds is not None:
        place = geocode(surface, kinds=kinds)
        if place is not None:
            return place
    return geocode(surface)


def _sentence_index(sents: list[_text.Sentence]) -> Any:
    starts = [s.start for s in sents]

    def find(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    return find


def _draft_at(drafts: list[_Draft], start: int, end: int) -> _Draft | None:
    for d in drafts:
        if d.start < end and start < d.end:
            return d
    return None


_CUE_WORDS = {
    _CUE_NEAR: re.compile(_RELATION),
    _CUE_OF: re.compile(r"\b(?:district|village|area|town)\s+(?:of|in)\b"),
    _CUE_IN: re.compile(r"\b[Pp]rovince\b"),
}
_LOCATIVE = re.compile(r"\b(?:in|at|of|on|near|around|outside|from|into|and|or)\s+$|,\s*$")


def _apply_cues(text: str, drafts: list[_Draft], sents: list[_text.Sentence], sent_of: Any) -> None:
    """Relations the text states: "X, a district neighboring Y", "suburbs of X and Y".

    A name the gazetteer lacks is only added when the text says it is a place: after
    "suburbs of", or after a preposition in "X, near Y" and "X district of Y".
    """
    for pattern in (_CUE_NEAR, _CUE_OF, _CUE_IN):
        if not _CUE_WORDS[pattern].search(text):
            continue
        for m in pattern.finditer(text):
            anchor = _draft_at(drafts, m.start("anchor"), m.end("anchor"))
            if anchor is None or anchor.place is None:
                continue
            start, end = m.start("name"), m.end("name")
            if _draft_at(drafts, start, end) is None and (
                pattern is _CUE_IN
                or _sentence_start(text, start)
                or not _LOCATIVE.search(text[max(0, start - 12) : start])
            ):
                continue
            if anchor.role == "event":
                anchor.role = "other"
            _locate_near(text, drafts, start, end, anchor, sents, sent_of)
    for m in _CUE_SUBURBS.finditer(text):
        city = _previous_town(drafts, m.start())
        if city is None:
            continue
        for name in re.finditer(_NAME, m.group("names")):
            start = m.start("names") + name.start()
            end = m.start("names") + name.end()
            _locate_near(text, drafts, start, end, city, sents, sent_of)


def _previous_town(drafts: list[_Draft], pos: int) -> _Draft | None:
    for d in reversed(drafts):
        if d.start < pos and d.place is not None and d.place.kind in ("capital", "town"):
            return d
    return None


def _locate_near(
    text: str,
    drafts: list[_Draft],
    start: int,
    end: int,
    anchor: _Draft,
    sents: list[_text.Sentence],
    sent_of: Any,
) -> None:
    """Resolve the name at text[start:end] near `anchor`, adding it if the gazetteer lacks it."""
    assert anchor.place is not None
    a = anchor.place
    existing = _draft_at(drafts, start, end)
    if existing is not None and (existing.foreign or existing is anchor):
        return
    surface = existing.surface if existing is not None else text[start:end]
    if fold_name(surface) in _NEVER_PLACES or fold_name(surface) in _FUNCTION_WORDS:
        return
    found: Place | None = None
    if existing is not None and existing.place is not None:
        found = _choose(existing.place, [a], 0.9, limit_km=60.0)
        if found is None:  # far from the anchor's point, but in its province
            same = [o for o in _options(existing.place) if o.province == a.province]
            if len(same) == 1:
                rest = tuple(o for o in _options(existing.place) if o is not same[0])
                found = replace(same[0], score=0.85, alternatives=rest)
    if found is None:
        hint: dict[str, Any] = (
            {"province": a.province} if a.precision == "province" else {"near": (a.lat, a.lon)}
        )
        found = geocode(surface, **hint, near_km=30.0)
        far = found is not None and _km(found, a) > 30.0
        if found is not None and a.precision != "province" and (far or found.score < 0.8):
            found = None
        if found is not None:
            found = replace(found, score=max(min(found.score, 0.9), 0.85))
    if found is None:
        found = Place(
            name=surface, province=a.province, district=None, lat=a.lat, lon=a.lon,
            precision="province", kind="site", score=0.8, source="text",
            source_id=f"near {a.name}",
        )  # fmt: skip
    if existing is None:
        k = sent_of(start)
        existing = _Draft(start, end, surface, False, k)
        existing.role = "event" if _is_event(sents[k].text) else "other"
        drafts.append(existing)
        drafts.sort(key=lambda d: d.start)
    existing.place = found
    existing.near = anchor.place.name


def _disambiguate(drafts: list[_Draft], sents: list[_text.Sentence]) -> None:
    """Choose among same-name places by the other places of the sentence, paragraph, text."""
    sure = [d for d in drafts if d.place is not None and d.place.score >= 0.9]
    for d in drafts:
        if d.place is None or d.near is not None or not d.place.alternatives:
            continue
        if d.place.score >= 0.9:
            continue
        paragraph = sents[d.sentence].paragraph
        for scope, score in (
            ([s for s in sure if s.sentence == d.sentence], 0.88),
            ([s for s in sure if sents[s.sentence].paragraph == paragraph], 0.85),
            (sure, 0.8),
        ):
            anchors = list(
                {
                    (s.place.name, s.place.province): s.place
                    for s in scope
                    if s is not d and s.place is not None
                }.values()
            )
            chosen = _choose(d.place, anchors, score) if anchors else None
            if chosen is not None:
                d.place = chosen
                break


def _mention(d: _Draft) -> Mention:
    p = d.place
    if p is None:
        return Mention(
            d.surface, d.start, d.end, None, None, None, math.nan, math.nan, None, None, 1.0,
            foreign=True, role=d.role,
        )  # fmt: skip
    return Mention(
        d.surface, d.start, d.end, p.name, p.province, p.district, p.lat, p.lon, p.precision,
        p.kind, round(p.score, 3), foreign=False, role=d.role, near=d.near,
        alternatives=tuple(f"{a.name} ({a.province})" for a in p.alternatives),
    )  # fmt: skip


# --- extract_incidents -----------------------------------------------------------------

INCIDENT_COLUMNS = [
    "incident", "what", "place", "province", "district", "latitude", "longitude",
    "precision", "score", "date", "date_end", "killed", "killed_qualifier", "wounded",
    "wounded_qualifier", "displaced_families", "displaced_qualifier", "start", "end",
    "source",
]  # fmt: skip


#: Below this score a place name is left unlocated in incident rows (it has rivals).
UNSURE = 0.8


@dataclass
class _Incident:
    places: list[Mention]
    sentences: list[int]
    figures: dict[str, _text.Figure]
    dates: list[_text.DateSpan]


def _to_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError) as err:
        msg = f"published={value!r} is not a date; pass e.g. '2020-10-12' or a datetime.date."
        raise InvalidInputError(msg) from err
    if pd.isna(stamp):
        return None
    return stamp.date()


def extract_incidents(
    text: str, *, published: object = None, source: str | None = None
) -> pd.DataFrame:
    """Reported attacks and clashes in a text: where, when and how many casualties.

    Parameters
    ----------
    text : str
        An article. Sentences that report violence at an Afghan place become incidents;
        statements about the whole country ("50 attacks per day"), talks abroad or
        prisoner releases do not (national figures are kept in ``.attrs["facts"]``).
    published : date or str, optional
        Publication date, against which "late Thursday", "since Friday" or "last
        night" are resolved. Read from a date line near the top when not given.
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
        :func:`incident_map`. A place name the context cannot tell apart from others
        of the same name (score below 0.8) is kept in ``place`` with no province or
        coordinates, so that it is counted as unlocated rather than guessed.

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
    text = _check_text(text)
    day = _to_date(published) or _text.article_date(text)
    drafts, sents = _drafts(text)
    mentions = [_mention(d) for d in drafts]
    by_sentence: dict[int, list[Mention]] = {}
    for d, m in zip(drafts, mentions, strict=True):
        by_sentence.setdefault(d.sentence, []).append(m)
    incidents: list[_Incident] = []
    facts: list[dict[str, Any]] = []
    period: list[_text.DateSpan] = []
    last: _Incident | None = None
    for k, s in enumerate(sents):
        if not _is_event(s.text):
            continue
        figures = _text.find_figures(s.text)
        dates = _text.find_dates(s.text, day)
        if _NATIONAL.search(s.text):
            facts.extend(_text.find_facts(s.text, offset=s.start))
            continue
        period.extend(dates)
        places = [m for m in by_sentence.get(k, []) if not m.foreign and m.role == "event"]
        places = _most_precise(places)
        if not places:
            target = _antecedent(incidents, drafts, sents, k) or last
            if target is not None and _ANAPHORA.match(s.text):
                _merge_figures(target, figures)
                target.sentences.append(k)
            continue
        target = _find_incident(incidents, places)
        if target is None:
            target = _Incident(places, [], {}, [])
            incidents.append(target)
        target.sentences.append(k)
        target.dates.extend(dates)
        _merge_figures(target, figures)
        last = target
    incidents = _fold_provinces(incidents)
    rows = _rows(incidents, sents, period, day, source)
    table = pd.DataFrame(rows, columns=INCIDENT_COLUMNS)
    for col in ("killed", "wounded", "displaced_families"):
        table[col] = table[col].astype("Int64")
    for col in ("date", "date_end"):
        table[col] = pd.to_datetime(table[col])
    table.attrs["facts"] = facts
    table.attrs["published"] = day.isoformat() if day else None
    return table


def _antecedent(
    incidents: list[_Incident], drafts: list[_Draft], sents: list[_text.Sentence], k: int
) -> _Incident | None:
    """The incident at the place named last before sentence `k` in its paragraph."""
    paragraph = sents[k].paragraph
    for d in reversed(drafts):
        if d.sentence >= k or d.place is None:
            continue
        if sents[d.sentence].paragraph != paragraph:
            break
        for inc in incidents:
            if any(m.province == d.place.province and m.name == d.place.name for m in inc.places):
                return inc
    return None


def _most_precise(places: list[Mention]) -> list[Mention]:
    """Drop a province mention when a place in that province is named beside it."""
    precise = {m.province for m in places if m.precision != "province" or m.near}
    out: list[Mention] = []
    seen: set[tuple[str | None, str | None]] = set()
    for m in places:
        if m.precision == "province" and not m.near and m.province in precise:
            continue
        key = (m.name, m.province)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _find_incident(incidents: list[_Incident], places: list[Mention]) -> _Incident | None:
    keys = {(m.name, m.province) for m in places}
    for inc in incidents:
        if keys == {(m.name, m.province) for m in inc.places}:
            return inc
    return None


def _merge_figures(inc: _Incident, figures: Iterable[_text.Figure]) -> None:
    for f in figures:
        old = inc.figures.get(f.what)
        if old is None or f.value > old.value:
            inc.figures[f.what] = f


def _fold_provinces(incidents: list[_Incident]) -> list[_Incident]:
    """Merge province-only incidents into the first precise incident in that province."""
    out: list[_Incident] = []
    for inc in incidents:
        if all(m.precision == "province" and not m.near for m in inc.places):
            host = next(
                (
                    o
                    for o in incidents
                    if o is not inc
                    and any(m.precision != "province" or m.near for m in o.places)
                    and {m.province for m in o.places} >= {m.province for m in inc.places}
                ),
                None,
            )
            if host is not None:
                host.sentences.extend(inc.sentences)
                host.dates.extend(inc.dates)
                _merge_figures(host, inc.figures.values())
                continue
        out.append(inc)
    return out


def _rows(
    incidents: list[_Incident],
    sents: list[_text.Sentence],
    period: list[_text.DateSpan],
    day: dt.date | None,
    source: str | None,
) -> list[list[Any]]:
    default: tuple[dt.date | None, dt.date | None] = (None, None)
    if period:
        default = (
            min(d.first for d in period),
            max(max(d.last for d in period), day or dt.date.min),
        )
    elif day is not None:
        default = (day, day)
    rows = []
    for number, inc in enumerate(incidents, start=1):
        first = sents[min(inc.sentences)]
        when: tuple[dt.date | None, dt.date | None] = default
        if inc.dates:
            when = (min(d.first for d in inc.dates), max(d.last for d in inc.dates))
        figs: list[Any] = []
        for what in ("killed", "wounded", "displaced_families"):
            f = inc.figures.get(what)
            figs += [f.value, f.qualifier or None] if f else [None, None]
        for n, m in enumerate(inc.places):
            where: list[Any] = [m.province, m.district, m.lat, m.lon, m.precision]
            if m.alternatives and m.score < UNSURE:  # "Nawa" alone: several provinces
                where = [None, None, math.nan, math.nan, None]
            rows.append(
                [
                    number, first.text, m.text if where[0] is None else m.name, *where,
                    m.score, when[0], when[1], *(figs if n == 0 else [None] * 6),
                    first.start, first.end, source,
                ]
            )  # fmt: skip
    return rows
