"""Numbers and casualty figures (afghangeo/_text/figures.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from afghangeo._text import figures
from afghangeo._text.figures import MAX_FIGURE, find_facts, find_figures, parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("13", 13), ("1,500", 1500), ("thirteen", 13), ("forty-two", 42), ("forty two", 42),
        ("a dozen", 12), ("no", 0), ("١٢", 12), ("many", None), ("", None), ("²", None),
        ("9" * 5000, None), ("twenty-ten", None),
    ],
)  # fmt: skip
def test_parse_number(words: str, value: int | None) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("That attack killed at least 13 members; 4 were wounded.",
         [("killed", 13, "at least"), ("wounded", 4, "")]),
        ("It has displaced about 1,500 families.", [("displaced_families", 1500, "about")]),
        ("200 families have fled.", [("displaced_families", 200, "")]),
        ("The death toll rose to 40.", [("killed", 40, "")]),
        ("Gunmen attacked, killing thirteen.", [("killed", 13, "")]),
        ("The blast caused no casualties.", [("killed", 0, "none"), ("wounded", 0, "none")]),
        ("No one was killed.", [("killed", 0, "none")]),
        ("No one was hurt in the blast.", [("killed", 0, "none"), ("wounded", 0, "none")]),
        ("13 attacks killed people.", []),
        ("Someone was killed.", []),
    ],
)  # fmt: skip
def test_find_figures(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert [(f.what, f.value, f.qualifier) for f in find_figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Taliban attacked Kabul, killing 100000000000000000000 people.",
        "Taliban attacked Kabul, killing " + "9" * 5000 + " people.",
        "10^400 people killed",
        "killing 10^400 people",
        "1e400 people were killed",
        "99999999999999999999 killed",
        f"{MAX_FIGURE + 1} people were killed",
        "The attack displaced 123456789012 families.",
    ],
)
def test_absurd_numbers_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_the_largest_figure() -> None:
    (f,) = find_figures(f"{MAX_FIGURE:,} people were killed")
    assert f.value == MAX_FIGURE


def test_find_facts() -> None:
    facts = find_facts("about 50 attacks per day; 25 to 40 Afghan forces killed each day", 10)
    assert [(f["what"], f["value"], f["upper"], f["qualifier"]) for f in facts] == [
        ("attacks", 50, None, "about"),
        ("afghan forces", 25, 40, None),
    ]
    assert facts[0]["start"] == 10
    assert find_facts("10^400 attacks and 99999999999999999999 provinces") == []


_words = st.sampled_from(
    "killed wounded at least 13 1,500 thirteen forty-two dozen a no one was families "
    "displaced people were death toll rose to 10^400 99999999999999999999 , .".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=40).map(" ".join) | st.text(max_size=300))
def test_figures_are_total_and_bounded(text: str) -> None:
    for f in find_figures(text):
        assert 0 <= f.value <= MAX_FIGURE
        assert 0 <= f.start < f.end <= len(text)
    for fact in find_facts(text):
        assert 0 <= fact["value"] <= MAX_FIGURE


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Five soldiers and two police officers were killed.", 7),
        ("Seven soldiers, three police officers and a civilian were killed.", 11),
        ("The assault had killed five soldiers and two police officers.", 7),
        ("Four soldiers and a police officer were killed when a bomb went off.", 5),
        ("At least 13 people, including women and children, were killed.", 13),
        ("5 soldiers were killed and 7 wounded.", 5),
        ("Insurgents attacked a post, killing two officers, a council member told reporters.", 2),
    ],
)
def test_compound_figures_sum(text: str, killed: int) -> None:
    found = [f for f in find_figures(text) if f.what == "killed"]
    assert [f.value for f in found] == [killed]


def _one(text: str, what: str = "killed") -> tuple[int | None, int | None, str]:
    """(value, high, qualifier) of the only figure of kind `what` in `text`."""
    found = [f for f in find_figures(text) if f.what == what]
    assert len(found) == 1, (text, found)
    return found[0].value, found[0].high, found[0].qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # victims after the verb
        ("Gunmen attacked the post, killing at least nine guards.", (9, None, "at least")),
        ("The strike killed more than a dozen fighters.", (12, None, "more than")),
        ("The ambush killed two dozen recruits.", (24, None, "")),
        ("Militants executed three hostages in the valley.", (3, None, "")),
        ("The bombing claimed the lives of 17 worshippers.", (17, None, "")),
        ("The shelling took the lives of forty-one villagers.", (41, None, "")),
        ("A suicide attacker killed himself and four guards.", (4, None, "")),
        # victims before the verb
        ("Eight border guards were killed overnight.", (8, None, "")),
        ("Three farmers died when the mine exploded.", (3, None, "")),
        ("Some 40 recruits were reportedly killed.", (40, None, "some")),
        ("Nineteen people lost their lives in the flood of fire.", (19, None, "")),
        ("Up to 60 villagers may have been killed.", (60, None, "up to")),
        ("Six of the attackers were shot dead by the guards.", (6, None, "")),
        ("Eleven students, most of them girls, were killed.", (11, None, "")),
        ("Seven shepherds (among them two boys) were killed.", (7, None, "")),
        ("A U.N. driver was killed on the road.", (1, None, "")),
        ("At least 3 people killed, 12 wounded in blast", (3, None, "at least")),
        # compound figures add up
        ("Four soldiers, two police officers and an interpreter were killed.", (7, None, "")),
        ("The raid killed a teacher and his three daughters.", (4, None, "")),
        ("The raid killed a farmer, his wife and their two sons.", (4, None, "")),
        ("The blast killed 12 soldiers and at least 30 civilians.", (42, None, "at least")),
        ("The deaths of 25 Afghans and two foreign engineers were confirmed.", (27, None, "")),
        ("The strike killed the commander and two of his guards.", (3, None, "")),
        # shares and descriptions do not
        ("The airstrike killed 14 people, nine of them children.", (14, None, "")),
        ("The blast killed 21 people, including four children, officials said.", (21, None, "")),
        # ranges
        ("Between 12 and 15 militiamen were killed.", (12, 15, "")),
        ("The strike killed 30 to 35 fighters.", (30, 35, "")),
        ("Two or three herders were killed.", (2, 3, "")),
        ("The fighting killed 10-12 insurgents and a soldier.", (11, 13, "")),
        # counts with no number
        ("Dozens of civilians were killed.", (None, None, "dozens of")),
        ("The bombing killed scores of people.", (None, None, "scores of")),
        ("Hundreds were killed in the siege.", (None, None, "hundreds")),
        # one victim
        ("Gunmen shot dead a shopkeeper near the bazaar.", (1, None, "")),
        ("A bomb killed a senior cleric outside his mosque.", (1, None, "")),
        ("Insurgents gunned down an election worker.", (1, None, "")),
        ("They dragged him outside and killed him.", (1, None, "")),
        ("The district governor was assassinated on his way to work.", (1, None, "")),
        ("A journalist was shot dead near her home.", (1, None, "")),
        ("Militants beheaded a young man accused of spying.", (1, None, "")),
        ("The attack killed a 12-year-old boy.", (1, None, "")),
        # tolls
        ("The death toll from the blast rose to 63.", (63, None, "")),
        ("The toll from Sunday's bombing stood at 40.", (40, None, "")),
        ("The deaths rose to 19 overnight.", (19, None, "")),
        ("The attack caused five deaths.", (5, None, "")),
        ("Government forces lost 14 soldiers in the battle.", (14, None, "")),
        ("The bombing claimed 17 lives.", (17, None, "")),
        ("The blast cost the lives of five porters.", (5, None, "")),
        ("A total of 23 people were killed.", (23, None, "")),
    ],
)  # fmt: skip
def test_killed(text: str, expected: tuple[int | None, int | None, str]) -> None:
    assert _one(text) == expected


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("The attack killed 3 people and wounded 5 others.", 3, 5),
        ("Six police were killed and nine wounded.", 6, 9),
        ("Two civilians died and four were hurt.", 2, 4),
        ("A grenade killed one child, injuring two more.", 1, 2),
        ("The bomb wounded a dozen passengers.", None, 12),
        ("Clashes left four dead and 11 injured.", 4, 11),
        ("The attack left 30 wounded.", None, 30),
        ("Seven were killed; 19 were injured.", 7, 19),
    ],
)
def test_killed_and_wounded_apart(text: str, killed: int | None, wounded: int | None) -> None:
    found = {f.what: f.value for f in find_figures(text)}
    assert (found.get("killed"), found.get("wounded")) == (killed, wounded)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The blast killed and wounded 22 people.", 22),
        ("Rockets killed or injured 31 soldiers.", 31),
        ("The attack killed or wounded more than 40.", 40),
        ("Shelling left 14 people dead or wounded.", 14),
        ("The bombing caused 17 casualties.", 17),
        ("The explosion caused at least 25 civilian casualties.", 25),
        ("Casualties numbered 19, officials said.", 19),
        ("Nine people were killed or wounded in the blast.", 9),
    ],
)
def test_casualties_are_not_deaths(text: str, value: int) -> None:
    found = find_figures(text)
    assert [(f.what, f.value) for f in found] == [("casualties", value)]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Two gunmen killed a man.", [1]),  # the gunmen are not the victims
        ("A roadside bomb killed a man.", [1]),  # nor is the bomb
        ("The bomber was killed.", []),  # a suicide attacker is not counted
        ("The attack killed the same number of people.", []),
        ("In 2019, 300 civilians were killed.", [300]),  # the year is no part of it
        ("13 attacks killed people.", []),
        ("Three districts were lost.", []),
        ("They lost two vehicles.", []),
        ("Police said the attack was planned for days.", []),
    ],
)
def test_what_is_not_a_count_of_the_dead(text: str, killed: list[int]) -> None:
    assert [f.value for f in find_figures(text) if f.what == "killed"] == killed


@pytest.mark.parametrize(
    ("text", "additive", "sides"),
    [
        ("Two attackers were also killed.", True, {"attackers"}),
        ("The gunmen also killed two guards.", True, {"security"}),
        ("Four more soldiers were killed.", True, {"security"}),
        ("More than four soldiers were killed.", False, {"security"}),
        ("Five civilians and a policeman were killed.", False, {"civilians", "security"}),
        ("Nine people were killed.", False, set()),
    ],
)
def test_figures_say_whether_they_add_and_whom_they_count(
    text: str, additive: bool, sides: set[str]
) -> None:
    (f,) = find_figures(text)
    assert (f.additive, set(f.sides)) == (additive, sides)


def test_spans_and_offset() -> None:
    text = "Officials said 15 soldiers were killed and 20 wounded."
    killed, wounded = find_figures(text, offset=100)
    assert text[killed.start - 100 : killed.end - 100] == "15 soldiers were killed"
    assert text[wounded.start - 100 : wounded.end - 100] == "20 wounded"


_NUMBERS = re.compile(r"\d[\d,]*")
_prose = st.lists(
    st.sampled_from(
        "killed wounded were was at least between and to 13 1,500 two dozen dozens of a an "
        "the soldiers people his her him killing shot dead left casualties toll rose , ; . "
        "including of them 10^400 99999999999999999999 families fled".split()
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_prose | st.text(max_size=200))
def test_figures_never_exceed_the_numbers_of_the_text(text: str) -> None:
    numbers = [int(n.replace(",", "")) for n in _NUMBERS.findall(text) if len(n) < 20]
    words = len(text.split())
    bound = sum(n for n in numbers if n <= MAX_FIGURE) + 24 * words  # "two dozen", "a man"
    for f in find_figures(text):
        assert f.value is None or 0 <= f.value <= bound
        assert f.high is None or (f.value is not None and f.value < f.high <= bound)
        assert 0 <= f.start < f.end <= len(text)
        assert f.what in ("killed", "wounded", "casualties", "displaced_families")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monitors verified that the airstrike on 2 May killed 13 civilians, including seven "
         "children, and injured five others.", {"killed": 13, "wounded": 5}),
        ("The attack resulted in 31 civilian casualties (8 killed and 23 injured).",
         {"casualties": 31, "killed": 8, "wounded": 23}),
        ("The blast caused 45 civilian casualties (15 deaths and 30 injured).",
         {"casualties": 45, "killed": 15, "wounded": 30}),
        ("An IED went off near a school, killing a boy and injuring his father.",
         {"killed": 1, "wounded": 1}),
        ("Twenty-one members of the Afghan National Defence and Security Forces (ANDSF) "
         "were killed.", {"killed": 21}),
        ("Police said five insurgents were killed and two others were arrested.",
         {"killed": 5}),
        ("The explosion killed the provincial director of education and three of his staff.",
         {"killed": 4}),
        ("A Taliban shadow governor and 11 of his fighters were killed in the raid.",
         {"killed": 12}),
        ("Two more bodies were found, bringing the death toll to 17.", {"killed": 17}),
        ("Six people, four of them women, were wounded.", {"wounded": 6}),
        ("The driver of the truck was also killed.", {"killed": 1}),
        ("The raid freed 20 hostages and killed four guards.", {"killed": 4}),
    ],
)  # fmt: skip
def test_report_prose(text: str, expected: dict[str, int]) -> None:
    found: dict[str, int | None] = {}
    for f in find_figures(text):
        found.setdefault(f.what, f.value)
    assert found == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="aU.S ;!?\n\tb", max_size=30),
    st.integers(min_value=0, max_value=32),
    st.integers(min_value=0, max_value=32),
)
def test_sentence_end_as_it_was(text: str, pos: int, size: int) -> None:
    # the pattern starts with the mark (so that a search skips to one): the same ends
    old = re.compile(r"(?<![.\s][A-Z])[.;!?](?:\s|$)")
    new, slow = (
        figures._SENTENCE_END.search(text, pos, pos + size),
        old.search(text, pos, pos + size),
    )
    assert (new and new.span()) == (slow and slow.span())


_noun_words = st.sampled_from(
    "casualties deaths fatalities toll number of killed rose to at the death 13 two a total "
    "some 300 families displaced fled have reached since forced lives claimed took cost "
    "between and dozens were was 1,500 FAMILIES Deaths civilian more than , .".split()
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_noun_words, max_size=30).map(" ".join),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=0, max_value=300),
)
@example("The blast caused at least 25 civilian casualties and 4 deaths.", 0, 300)
@example("Fighting displaced a total of between 20 and 30 families who fled.", 0, 300)
def test_noun_scan_finds_what_finditer_finds(text: str, a: int, size: int) -> None:
    # the noun patterns are searched from a few words before their words only
    found, b = figures._Found(text), min(len(text), a + size)
    for noun in figures._NOUN_PATTERNS:
        fast = [(m.span(), m.groupdict()) for m in found.scan(noun, a, b)]
        assert fast == [(m.span(), m.groupdict()) for m in noun[0].finditer(text, a, b)]


_cue_words = st.sampled_from(
    "no one body was were killed hurt casualties deaths without any with caused there "
    "left leaving leaves cleft sleeves Left LEAVING 5 dead\n\t NO Without".split(" ")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_cue_words, max_size=20).map(" ".join) | st.text(max_size=40))
@example("It left 5 dead; leaving two, no casualties, without any casualties, no one was hurt")
def test_cue_patterns_as_they_were(text: str) -> None:
    # "\bleft" is searched for from its "le"; "no casualties" needs "no" or "without"
    old = re.compile(r"\b(?:left|leaving|leaves)\s+", re.IGNORECASE)
    assert [m.span() for m in figures._LEFT.finditer(text)] == [
        m.span() for m in old.finditer(text)
    ]
    if figures._NONE.search(text) and figures._Found(text).exact:
        assert figures._NO.search(text.lower())
