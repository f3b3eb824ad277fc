"""Sentences grouped into incidents (afghangeo/_text/grouping.py), through extract_incidents."""

from __future__ import annotations

import pandas as pd
import pytest

import afghangeo as ag

PUBLISHED = "2021-03-10"  # a Wednesday


def _incidents(text: str) -> list[dict[str, object]]:
    """The first row of each incident, with figures as ints or None and dates as text."""
    rows = ag.extract_incidents(text, published=PUBLISHED).drop_duplicates("incident")
    out = []
    for row in rows.to_dict("records"):
        out.append(
            {
                k: (None if pd.isna(v) else v.date().isoformat() if k == "date" else v)
                for k, v in row.items()
                if k in ("province", "date", "killed", "wounded", "casualties")
            }
        )
    return out


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # the next sentence goes on with the figures of the incident
        ("Mortars hit a market in Ghazni city on Monday. Nine shoppers were killed and 14 "
         "wounded, a hospital official said.", 9, 14),
        ("Insurgents stormed a checkpoint in Zabul on Tuesday.\n\nFour police officers died, "
         "the governor's office said.", 4, None),
        ("A bomb went off at a bus station in Herat on Monday. Two children were killed, "
         "officials in Herat said.", 2, None),
        ("A convoy was ambushed in Kunar on Monday. The Taliban said it was behind the "
         "attack. Six soldiers were killed.", 6, None),
        # figures of another side add up; "also" adds
        ("Gunmen attacked a post in Farah on Monday, killing three guards. Two attackers "
         "were also killed.", 5, None),
        ("Taliban fighters attacked Jaghori in Ghazni on Monday. Five police were killed. "
         "The Taliban lost eight fighters, the police chief said.", 13, None),
        # a restated toll does not
        ("A bomb killed six people in Khost on Monday. The six people killed were farmers, "
         "officials said.", 6, None),
        # figures first, the place in the next sentence
        ("At least 11 worshippers were killed in a blast on Monday. The bomb went off in a "
         "mosque in Kunduz city.", 11, None),
    ],
)  # fmt: skip
def test_figures_of_the_next_sentence(text: str, killed: int, wounded: int | None) -> None:
    (inc,) = _incidents(text)
    assert (inc["killed"], inc["wounded"]) == (killed, wounded)


@pytest.mark.parametrize(
    "text",
    [
        "A bomb killed two people in Kabul on Monday. Separately, 40 soldiers were killed.",
        "A bomb killed two people in Kabul on Monday. In 2018, 40 people were killed there.",
        "A bomb killed two people in Kabul on Monday. Last year, 40 people were killed.",
        "A bomb killed two people in Kabul on Monday. More than 40 people have been killed "
        "this year, the UN said.",
        "A bomb killed two people in Kabul on Monday. Ten years ago, 40 people died there.",
        "A bomb killed two people in Kabul on Monday. A similar attack killed 40 people.",
        "A bomb killed two people in Kabul on Monday. On Feb. 3, 40 people were killed.",
        "A bomb killed two people in Kabul on Monday. In Pakistan, 40 were killed in a bombing.",
        "A bomb killed two people in Kabul on Monday. It was calm for a week. Shops "
        "reopened. Then 40 were killed.",
    ],
)
def test_the_next_sentence_of_another_story(text: str) -> None:
    assert [i["killed"] for i in _incidents(text) if i["province"] == "Kabul"] == [2]


def test_figures_before_a_summary_of_several_attacks_stay_out() -> None:
    text = (
        "Two separate bombings killed nine people on Monday. In Kandahar, a bomb killed "
        "five; in Helmand, four soldiers were killed."
    )
    assert [(i["province"], i["killed"]) for i in _incidents(text)] == [
        ("Kandahar", 5),
        ("Helmand", 4),
    ]


def test_clauses_at_semicolons() -> None:
    text = "In Paktia, three soldiers were killed; in Khost, a civilian was wounded."
    assert [(i["province"], i["killed"], i["wounded"]) for i in _incidents(text)] == [
        ("Paktia", 3, None),
        ("Khost", None, 1),
    ]


def test_a_place_within_the_district_continues_the_incident() -> None:
    text = (
        "Gunmen shot dead a judge in Kabul on Monday. She was attacked in the Qala-e "
        "Fatullah area of the city. Her driver was wounded."
    )
    (inc,) = _incidents(text)
    assert (inc["killed"], inc["wounded"]) == (1, 1)


def test_speakers_and_destinations_are_not_incident_places() -> None:
    text = (
        "Taliban fighters stormed a village in Sayyad district on Saturday. Officials in "
        "Sar-e Pol said eight villagers were killed. Families fled to Sheberghan."
    )
    (inc,) = _incidents(text)
    assert inc["killed"] == 8


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("The police chief said on Tuesday that gunmen attacked a post in Kunar on Sunday "
         "night, killing two.", "2021-03-07"),
        ("Officials in Ghazni said on Tuesday that the district was attacked the night "
         "before. Four soldiers were killed.", "2021-03-08"),
        ("A bomb hit a bus in Logar, officials said on Tuesday.", "2021-03-09"),
        ("An attack in Helmand two days ago killed five.", "2021-03-08"),
        ("Fighters attacked a post in Faryab, police said on Tuesday. Eleven soldiers were "
         "killed on Sunday.", "2021-03-07"),
        ("Fighters attacked a post in Faryab, police said on Tuesday. The clashes, which "
         "began on Sunday, left 11 soldiers dead.", "2021-03-07"),
        ("The district center in Badghis fell on Monday after a three-day siege.",
         "2021-03-06"),
    ],
)  # fmt: skip
def test_the_day_of_the_event(text: str, date: str) -> None:
    assert _incidents(text)[0]["date"] == date


def test_days_later_count_from_the_incident_before() -> None:
    text = (
        "Taliban fighters attacked Kunduz on Saturday. Two days later, an attack in Baghlan "
        "killed three."
    )
    assert [(i["province"], i["date"]) for i in _incidents(text)] == [
        ("Kunduz", "2021-03-06"),
        ("Baghlan", "2021-03-08"),
    ]


def test_tallies_over_long_times_are_background() -> None:
    text = (
        "Gunmen attacked a checkpoint in Kunduz city late on Monday, killing nine police. "
        "Kunduz has seen heavy fighting this year. More than 200 police have been killed "
        "in the province since January."
    )
    assert _incidents(text) == [
        {"province": "Kunduz", "date": "2021-03-08", "killed": 9, "wounded": None,
         "casualties": None}
    ]  # fmt: skip


def test_the_same_place_on_another_day_is_another_incident() -> None:
    text = (
        "A bomb killed three people in Kabul on Feb. 2. Another bomb killed five people in "
        "Kabul on Monday."
    )
    assert [(i["date"], i["killed"]) for i in _incidents(text)] == [
        ("2021-02-02", 3),
        ("2021-03-08", 5),
    ]


def test_an_incident_at_the_place_of_the_sentence_before() -> None:
    text = (
        "An army helicopter came down in Shindand district of Herat on Thursday. Two "
        "pilots were killed."
    )
    assert [(i["province"], i["date"], i["killed"]) for i in _incidents(text)] == [
        ("Herat", "2021-03-04", 2)
    ]


def test_the_number_of_dead_put_at_a_range() -> None:
    text = (
        "Hundreds of fighters attacked outposts in Kunar on Sunday. Officials put the "
        "number of soldiers killed at 16 to 18."
    )
    rows = ag.extract_incidents(text, published=PUBLISHED)
    assert rows[["killed", "killed_low", "killed_high"]].iloc[0].tolist() == [16, 16, 18]
