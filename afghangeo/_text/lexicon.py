"""The word lists of news text, written once, and the regular expressions built from them.

Every word list the text readers use lives in :data:`WORDS`, one entry per kind of
word. The sets and alternations below are derived from that table, so that adding
"Sept." or a title means editing one line.

>>> from afghangeo._text import lexicon
>>> lexicon.MONTHS["sept"], lexicon.NUMBERS["forty"], "governor" in lexicon.TITLES
(9, 40, True)
>>> bool(re.fullmatch(lexicon.MONTH, "Sept.", re.IGNORECASE))
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from afghangeo._text.caseless import Caseless

__all__ = [
    "ABBREVIATIONS",
    "ANAPHORA",
    "BEFORE_PLACES",
    "DIRECTIONS",
    "EVENT",
    "FUNCTION_WORDS",
    "MONTH",
    "MONTHS",
    "NATIONAL",
    "NEVER_PLACES",
    "NUMBER",
    "NUMBERS",
    "OFFICES",
    "PLACE_TAILS",
    "QUALIFIER",
    "TITLES",
    "WEEKDAY",
    "WEEKDAYS",
    "alternation",
    "is_event",
]

# --- the table -------------------------------------------------------------------------

#: Every word list, by kind; words are lower case, separated by spaces.
WORDS: dict[str, str] = {
    # titles before a person's name; the abbreviated ones also never end a sentence
    "titles_short": "mr mrs ms dr gen lt col maj capt sgt cpl adm gov sen rep prof",
    "titles": (
        "miss cmdr eng general president minister colonel major captain lieutenant sergeant "
        "commander governor senator judge mullah mawlawi maulvi mawlavi haji hajji "
        "sheikh sayed sayyed qari ustad engineer ambassador envoy spokesman king queen "
        "prince emir amir marshal"
    ),
    # other abbreviations after which a full stop does not end a sentence
    "abbreviations": "st jr sr rev no vs etc u.s u.n u.k a.m p.m e.g i.e approx dept est",
    # capitalised words that are never places: demonyms, groups, religion
    "never_places": (
        "afghan afghans american americans pakistani pakistanis iranian iranians qatari "
        "russian russians chinese indian british taliban talib taleban mujahideen "
        "pashtun pashtuns tajik tajiks hazara hazaras uzbek uzbeks baluch turkmen nato "
        "un isis daesh muslim muslims islamic islam ramadan eid allah god"
    ),
    # words a sentence may start with, capitalised only by position
    "function_words": (
        "a an the in on at of for from to by with as and or but if while when where "
        "after before since during near outside inside into across around between this "
        "that these those some many most both each every its their his her our it they "
        "he she we last late early then there here one two three several all"
    ),
    # capitalised words that may follow a place name without making another name
    "place_tails": (
        "province provincial district city town village valley river pass airport "
        "airfield air base bazaar bazar dam highway road prison jail gate gates square "
        "market area region center centre capital"
    ),
    # capitalised words after a place that make a title, not another name: "Helmand Governor"
    "offices": (
        "governor governors police chief council spokesman spokeswoman deputy commander "
        "officials authorities administration"
    ),
    # capitalised words that may stand before a place without making a person's name
    "before_places": (
        "meanwhile elsewhere separately also later earlier today yesterday tonight overnight "
        "recently previously still now since until"
    ),
    "directions": (
        "north south east west northern southern eastern western central northeastern "
        "northwestern southeastern southwestern northeast northwest southeast southwest "
        "upper lower greater"
    ),
    "weekdays": "monday tuesday wednesday thursday friday saturday sunday",
    # month number: full name, then abbreviations
    "months": (
        "1:january,jan 2:february,feb 3:march,mar 4:april,apr 5:may 6:june,jun "
        "7:july,jul 8:august,aug 9:september,sept,sep 10:october,oct 11:november,nov "
        "12:december,dec"
    ),
    # number words: value
    "numbers": (
        "zero:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 "
        "eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 "
        "seventeen:17 eighteen:18 nineteen:19 twenty:20 thirty:30 forty:40 fifty:50 "
        "sixty:60 seventy:70 eighty:80 ninety:90 dozen:12 hundred:100"
    ),
    # words that are numbers only before another: "a dozen", "no casualties"
    "articles": "no:0 a:1 an:1",
    # words that report violence, every form (phrases such as "opened fire" are in
    # _EVENT_PHRASES)
    "event_words": (
        "attack attacks attacked attacking attacker attackers offensive assault assaults "
        "assaulted fight fighting fights fought clash clashes clashed battle battles battled "
        "kill killed killing kills wounded wounding injured injuring injuries dead died "
        "overran overranning overrun overrunning ambush ambushed ambushes bomb bombs bombed "
        "bombing bombings blast blasts explosion explosions exploded airstrike airstrikes "
        "strike strikes shelling shelled rocket rockets mortar mortars suicide gunmen "
        "besiege besieged siege capture captured seize seized overtook stormed violence "
        "displaced displacing gunfire retook recaptured retaken raid raids raided raiding "
        "shooting shootings grenade grenades landmine landmines"
    ),
    "qualifiers": (
        "at_least more_than over about around nearly almost some up_to as_many_as "
        "roughly approximately an_estimated fewer_than less_than"
    ),
}


def _words(kind: str) -> frozenset[str]:
    return frozenset(WORDS[kind].split())


def _pairs(kind: str) -> dict[str, int]:
    return {w: int(v) for w, v in (item.split(":") for item in WORDS[kind].split())}


def alternation(words: Iterable[str]) -> str:
    r"""A non-capturing group matching any of `words`, longest first, spaces as ``\s+``.

    The words are written as a trie ("attack", "attacked" as ``attack(?:ed)?``): the
    regex engine rejects a branch by its first letter, so a trie of sixty words is
    tried in a few steps where a flat list takes sixty. At any position the words that
    match are prefixes of one another, and the trie tries them longest first, as the
    flat list in order of length does: both match the same text.

    >>> print(alternation(["at least", "at", "about"]))
    (?:a(?:bout|t(?:\s+least)?))
    """
    return "(?:" + _trie(sorted(set(words))) + ")"


def _trie(words: list[str]) -> str:
    """The trie of `words` (sorted, distinct) as a pattern; "" among them ends a word."""
    ends = bool(words) and words[0] == ""
    branches = []
    for first, group in itertools.groupby((w for w in words if w), key=lambda w: w[0]):
        head = r"\s+" if first == " " else re.escape(first)
        branches.append(head + _trie([w[1:] for w in group]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here and longer ones go on: the longer are tried first
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


# --- sets ------------------------------------------------------------------------------

TITLES = _words("titles_short") | _words("titles")
MONTHS: dict[str, int] = {
    name: int(number)
    for number, names in (item.split(":") for item in WORDS["months"].split())
    for name in names.split(",")
}
WEEKDAYS: tuple[str, ...] = tuple(WORDS["weekdays"].split())
_MONTH_SHORT = {n for item in WORDS["months"].split() for n in item.split(":")[1].split(",")[1:]}
ABBREVIATIONS = _words("titles_short") | _words("abbreviations") | _MONTH_SHORT
# months and weekdays too: "March 10" is a date, not the village of March
NEVER_PLACES = _words("never_places") | set(MONTHS) | set(WEEKDAYS)
FUNCTION_WORDS = _words("function_words")
PLACE_TAILS = _words("place_tails")
OFFICES = _words("offices")
#: Words before a place that leave it a place: "On Sunday Kandahar police", "Taliban Helmand".
BEFORE_PLACES = _words("before_places") | NEVER_PLACES
DIRECTIONS = _words("directions")
_ONES = {w: v for w, v in _pairs("numbers").items() if 0 < v < 10}
_TENS = {w: v for w, v in _pairs("numbers").items() if v >= 20 and v % 10 == 0 and v < 100}
#: Number words and their values; "a dozen", "a hundred", "no" and "a" included.
NUMBERS: dict[str, int] = {
    **_pairs("numbers"),
    **_pairs("articles"),
    "a dozen": 12,
    "a hundred": 100,
}

# --- regular expressions (fragments, used inside larger patterns) ------------------------

#: A month name or abbreviation, with an optional full stop: "Sept.", "October".
MONTH = rf"(?P<month>{alternation(MONTHS)}\.?)"
#: A weekday name.
WEEKDAY = rf"(?P<wd>{alternation(WEEKDAYS)})"
#: "at least", "more than", ... before a figure.
QUALIFIER = rf"(?P<qual>{alternation(w.replace('_', ' ') for w in WORDS['qualifiers'].split())})"
_SINGLE = alternation(w for w, v in _pairs("numbers").items() if w not in _TENS)
#: A number in digits or words: "1,500", "13", "forty-two", "a dozen". Never the tail
#: of a longer number or word ("10^400", "2.5", "someone") and never followed by more
#: digits or an exponent, so that absurd numbers are not read as their last digits.
NUMBER = (
    r"(?<![\w^])(?<!\d[.,])"
    rf"(?:\d{{1,3}}(?:,\d{{3}})++|\d++|a\s+dozen|a\s+hundred|"
    rf"{alternation(_TENS)}(?:[\s-]{alternation(_ONES)})?|{_SINGLE})"
    r"(?![\w^*]|[.,]\d)"
)

# --- cue words ---------------------------------------------------------------------------

#: Words that report violence: a sentence with one is about an incident. Single words
#: are in the table; phrases here.
_EVENT_PHRASES = (
    r"air\s+strikes?", r"under\s+fire", r"push(?:ed|ing)?\s+(?:for|into|toward)",
    r"insurgents?\s+(?:took|advanced)", r"fir(?:ed|ing)\s+(?:on|at|upon)", r"opened\s+fire",
    r"fell\s+to", r"re-took", r"bl(?:ew|own)\s+up", r"descended\s+on", r"shot\s+(?:dead|down)",
    r"roadside\s+mines?",
)  # fmt: skip
EVENT = Caseless(rf"\b(?:{alternation(_words('event_words'))}|{'|'.join(_EVENT_PHRASES)})\b")


def is_event(sentence: str) -> bool:
    """Whether `sentence` has a word that reports violence.

    >>> is_event("Taliban fighters overran a checkpoint."), is_event("Talks resumed in Doha.")
    (True, False)
    >>> is_event("The post came under fire at night.")
    True
    """
    return EVENT.search(sentence) is not None


#: Statements about the whole country, rates and averages: facts, not incidents
#: ("50 attacks per day", "in 20 of the country's 34 provinces").
NATIONAL = Caseless(  # every branch led by a letter, so that most are rejected by it
    r"\b(?:a(?:cross\s+(?:the\s+country|afghanistan)|n\s+average|"
    r"(?<!\bafter\sa)(?<!\bfor\sa)(?<!\bwithin\sa)(?<!\bin\sa)"
    r"\s+day\b(?!\s+(?:of|earlier|later|before|after|ago|and|or|long|\w+ing)\b))|"
    r"nationwide|(?:per|each)\s+day|every\s+(?:day|week|month)|daily|on\s+average|"
    r"the\s+average|of\s+the\s+country'?s|\d+\s+of\s+(?:the\s+)?(?:country's\s+)?\d+\s+provinces)\b",
)
#: A sentence that continues the incident before it: "That attack killed 13", "It ...".
ANAPHORA = re.compile(
    r"^\s*(?:(?:that|the|this)\s+(?:\w+\s+){0,2}(?:attack|assault|offensive|ambush|"
    r"fighting|clash|raid|bombing|blast|explosion|strike)|it\b|they\b)",
    re.IGNORECASE,
)
