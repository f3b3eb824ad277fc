from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo._text.table import FIGURE_COLUMNS as _FIGURE_COLUMNS
from afghangeo.errors import AfghangeoError, InvalidInputError
from afghangeo.extract import INCIDENT_COLUMNS

# ../shared next to the repository (or next to its worktree folder)
SHARED = next(
    (p / "shared" for p in Path(__file__).resolve().parents if (p / "shared" / "seeds").is_dir()),
    Path(__file__).resolve().parents[2] / "shared",
)
SEEDS = SHARED / "seeds"
VILLAGES = SHARED / "data" / "gazetteer" / "testonly" / "af_gazetteer_test.csv"
LASHKAR_GAH = (31.5938, 64.3716)


def places(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.province) for m in ag.extract_places(text) if not m.foreign]


# --- places in short sentences ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "surface", "province"),
    [
        ("A bomb exploded in Lashkar Gah on Tuesday.", "Lashkar Gah", "Helmand"),
        ("A bomb exploded in Lashkargah on Tuesday.", "Lashkargah", "Helmand"),
        ("A bomb exploded in Lashkar Gāh on Tuesday.", "Lashkar Gāh", "Helmand"),
        ("Gunmen stormed a checkpoint in لشکرگاه late Monday.", "لشکرگاه", "Helmand"),
        ("Fighting raged in Hilmand.", "Hilmand", "Helmand"),
        ("Fighting raged in Helmand Province.", "Helmand Province", "Helmand"),
        ("Insurgents attacked Qala-e-Naw overnight.", "Qala-e-Naw", "Badghis"),
        ("Insurgents attacked Qala-i-Naw overnight.", "Qala-i-Naw", "Badghis"),
        ("Clashes in Mazar-i-Sharif were reported.", "Mazar-i-Sharif", "Balkh"),
        ("Clashes in Mazar-e Sharif were reported.", "Mazar-e Sharif", "Balkh"),
        ("A blast hit Jalalabad.", "Jalalabad", "Nangarhar"),
        ("Rockets landed in Kunduz city.", "Kunduz", "Kunduz"),
        ("The Taliban attacked Sar-e Pol.", "Sar-e Pol", "Sar-e Pol"),
        ("An attack in western Badghis Province killed 13.", "Badghis Province", "Badghis"),
        ("Western Badghis saw heavy fighting.", "Badghis", "Badghis"),
        ("Prisoners left the Bagram prison.", "Bagram", "Parwan"),
        ("A convoy was ambushed in Uruzgan.", "Uruzgan", "Uruzgan"),
        ("A convoy was ambushed in Urozgan.", "Urozgan", "Uruzgan"),
        ("Fighting in Ghazni Province continued.", "Ghazni Province", "Ghazni"),
        ("Police in Herat said.", "Herat", "Herat"),
        ("A suicide attack hit Kandahar Airport.", "Kandahar", "Kandahar"),
        ("Mortars hit هرات on Sunday.", "هرات", "Herat"),
    ],
)
def test_one_place_in_many_spellings(sentence: str, surface: str, province: str) -> None:
    found = ag.extract_places(sentence)
    afghan = [m for m in found if not m.foreign]
    assert [(m.text, m.province) for m in afghan] == [(surface, province)]
    m = afghan[0]
    assert sentence[m.start : m.end] == m.text
    assert m.status in ("matched", "uncertain") and m.score >= 0.6


def test_several_places_in_one_sentence() -> None:
    text = "Clashes in Mazar-i-Sharif, Kunduz and Pul-i-Khumri left 5 dead and 12 wounded."
    assert places(text) == [
        ("Mazar-i-Sharif", "Balkh"),
        ("Kunduz", "Kunduz"),
        ("Pul-i-Khumri", "Baghlan"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ataullah Afghan, the head of the provincial council, spoke.",
        "Mr. Afghan said the police were absent.",
        "It undermines the ongoing Afghan Peace Talks.",
        "The coordinator for the Doctors Without Borders hospital spoke.",
        "Afghan forces and Afghan officials met.",
        "The militia, known as Public Uprisings, is funded by the government.",
        "President Ashraf Ghani met Zalmay Khalilzad and Mubarak Shah Azizi.",
        "Gen. Austin S. Miller said so on March 10.",
        "He met students at Kabul University.",
        "The Taliban said on Thursday that Ramadan starts.",
    ],
)
def test_people_organisations_and_adjectives_are_not_places(sentence: str) -> None:
    assert places(sentence) == []


def test_foreign_places_are_flagged_not_resolved() -> None:
    text = (
        "Talks in Doha, Qatar, stalled; Washington and the United States pressed "
        "Islamabad and Iran."
    )
    found = ag.extract_places(text)
    assert [m.text for m in found] == [
        "Doha", "Qatar", "Washington", "United States", "Islamabad", "Iran",
    ]  # fmt: skip
    assert all(m.foreign and m.province is None for m in found)


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [
        ("KABUL, Afghanistan — The Taliban attacked a base.", "KABUL", "dateline"),
        ("HERAT, Afghanistan — Fighting continued.", "HERAT", "dateline"),
        ("KANDAHAR (Reuters) - A suicide attack hit a base.", "KANDAHAR", "dateline"),
        ("Mujib Mashal reported from Kabul.", "Kabul", "reporting"),
        ("Ann Lee contributed reporting from Herat, Afghanistan.", "Herat", "reporting"),
        ("A bomb killed two people in Kabul.", "Kabul", "event"),
        ("A Taliban delegation visited Kabul this month.", "Kabul", "other"),
    ],
)
def test_roles(text: str, surface: str, role: str) -> None:
    found = [m for m in ag.extract_places(text) if m.text == surface]
    assert found and found[0].role == role


@pytest.mark.parametrize(
    ("text", "province", "district"),
    [
        ("They attacked Nawa, a district neighboring Lashkar Gah.", "Helmand", None),
        ("They attacked Nawa, near Lashkar Gah.", "Helmand", None),
        ("Taliban fighters attacked Nawa district of Helmand province.", "Helmand", None),
        ("The Taliban attacked Nawa in Ghazni Province.", "Ghazni", "Nawa"),
        ("Fighting in Lashkar Gah spread to Nawa.", "Helmand", None),
    ],
)
def test_places_named_together_disambiguate(text: str, province: str, district: str | None) -> None:
    nawa = next(m for m in ag.extract_places(text) if m.text == "Nawa")
    assert nawa.province == province
    if district:
        assert nawa.district == district
    assert nawa.alternatives  # the other Nawa is still said


def test_nawa_alone_stays_ambiguous() -> None:
    (nawa,) = ag.extract_places("Fighting in Nawa was reported.")
    assert nawa.score < 0.8
    assert len(nawa.alternatives) >= 1
    rows = ag.extract_incidents("Fighting in Nawa was reported.", published="2020-10-12")
    assert rows["province"].isna().all()  # counted as unlocated, not guessed
    counts = ag.count_by_province(rows)
    assert int(counts.loc[counts["province"] == "unlocated", "count"].iloc[0]) == 1


def test_unlisted_suburbs_are_kept_near_the_city() -> None:
    text = (
        "The Taliban pushed for Lashkar Gah. They overran checkpoints in the suburbs "
        "of Zarghunabad and Shinkai Bagh and closed a road into the city."
    )
    found = {m.text: m for m in ag.extract_places(text)}
    for name in ("Zarghunabad", "Shinkai Bagh"):  # made-up names no gazetteer holds
        m = found[name]
        assert m.province == "Helmand"
        assert m.near is not None and "Lashkar" in m.near
        assert m.precision == "province" and m.district is None
        assert great_circle((m.lat, m.lon), LASHKAR_GAH).km < 5


def test_mention_fields() -> None:
    (m,) = ag.extract_places("A blast hit Lashkar Gah.")
    d = m.to_dict()
    assert d["text"] == "Lashkar Gah" and d["province"] == "Helmand"
    assert "Helmand" in repr(m)
    with pytest.raises(AttributeError):
        m.province = "Kabul"  # type: ignore[misc]


def test_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="str"):
        ag.extract_places(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="published"):
        ag.extract_incidents("A blast hit Kabul.", published="not a date")
    assert ag.extract_places("") == []
    assert len(ag.extract_incidents("")) == 0


# --- incidents in short texts -----------------------------------------------------------


def test_incident_with_relative_date_and_qualified_figure() -> None:
    text = (
        "In one of the latest attacks in western Badghis Province, Taliban fighters began "
        "an assault late Thursday. That attack killed at least 13 members of the militia."
    )
    rows = ag.extract_incidents(text, published=dt.date(2020, 4, 24), source="test")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["province"] == "Badghis" and row["precision"] == "province"
    assert row["date"] == pd.Timestamp("2020-04-23")
    assert row["killed"] == 13 and row["killed_qualifier"] == "at least"
    assert row["source"] == "test"
    assert text[row["start"] : row["end"]].startswith("In one of the latest attacks")


@pytest.mark.parametrize(
    ("text", "killed", "wounded", "qualifier"),
    [
        ("A bomb in Kabul killed three people and wounded 12.", 3, 12, None),
        ("Clashes in Kunduz left 5 dead and 12 wounded.", 5, 12, None),
        ("At least 7 soldiers were killed in an ambush in Zabul.", 7, None, "at least"),
        ("An attack in Ghazni killed more than 20 policemen.", 20, None, "more than"),
        ("A rocket hit Jalalabad airport but caused no casualties.", 0, 0, None),
        ("A blast in Khost: no one was killed, officials said.", 0, None, None),
        ("Gunmen attacked a checkpoint in Farah, killing thirteen.", 13, None, None),
    ],
)
def test_casualty_figures(
    text: str, killed: int | None, wounded: int | None, qualifier: str | None
) -> None:
    rows = ag.extract_incidents(text, published="2021-01-10")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (None if pd.isna(row["killed"]) else int(row["killed"])) == killed
    assert (None if pd.isna(row["wounded"]) else int(row["wounded"])) == wounded
    assert row["killed_qualifier"] == qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Insurgents attacked a post in Zabul; between 25 and 40 soldiers were killed.",
         {"killed": 25, "killed_low": 25, "killed_high": 40, "casualties": None}),
        ("Mortars fired at a base in Parwan killed or wounded 31 soldiers.",
         {"killed": None, "wounded": None, "casualties": 31}),
        ("A bomb in Logar wounded 10 to 12 children.",
         {"wounded": 10, "wounded_low": 10, "wounded_high": 12, "killed_low": None}),
        ("Fighting in Faryab has killed dozens of people.",
         {"killed": None, "killed_qualifier": "dozens of"}),
        ("Fighting in Kushk district of Herat has forced some 500 families from their homes.",
         {"displaced_families": 500, "displaced_qualifier": "some"}),
    ],
)  # fmt: skip
def test_ranges_casualties_and_counts_with_no_number(
    text: str, expected: dict[str, object]
) -> None:
    (row,) = ag.extract_incidents(text, published="2021-01-10").to_dict("records")
    assert {k: None if pd.isna(row[k]) else row[k] for k in expected} == expected


def test_columns_and_figure_spans() -> None:
    text = (
        "Airstrikes hit a village in Paktika province on Monday. Ten civilians were killed "
        "and twelve wounded, officials said."
    )
    rows = ag.extract_incidents(text, published="2021-01-13")
    assert list(rows.columns) == INCIDENT_COLUMNS
    for col in ("killed", "killed_low", "killed_high", "wounded", "wounded_low",
                "wounded_high", "casualties", "displaced_families"):  # fmt: skip
        assert rows[col].dtype == "Int64", col
    assert (rows["killed"].iloc[0], rows["wounded"].iloc[0]) == (10, 12)
    assert [
        (f["what"], f["value"], text[f["start"] : f["end"]]) for f in rows.attrs["figures"]
    ] == [
        ("killed", 10, "Ten civilians were killed"),
        ("wounded", 12, "twelve wounded"),
    ]
    assert rows.attrs["figures"][0]["incident"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "The insurgents launched an average of about 50 attacks per day across the country.",
        "The Taliban carried out attacks in 20 of the country's 34 provinces.",
        "Peace talks in Doha, Qatar, stalled.",
        "1,500 Taliban prisoners would be released from the Bagram prison.",
        "A Taliban delegation visited Kabul this month.",
    ],
)
def test_statements_that_are_not_incidents(text: str) -> None:
    assert len(ag.extract_incidents(text, published="2020-04-24")) == 0


def test_national_figures_are_kept_as_facts() -> None:
    rows = ag.extract_incidents(
        "Officials said the insurgents launched an average of about 50 attacks per day.",
        published="2020-04-24",
    )
    assert len(rows) == 0
    (fact,) = rows.attrs["facts"]
    assert fact["value"] == 50 and fact["qualifier"] == "about" and fact["what"] == "attacks"


def test_one_incident_two_places_counts_its_figures_once() -> None:
    rows = ag.extract_incidents(
        "Clashes in Mazar-i-Sharif and Kunduz left 5 dead.", published="2021-01-10"
    )
    assert rows["incident"].tolist() == [1, 1]
    assert rows["killed"].sum() == 5
    counts = ag.count_by_province(rows, weight="killed")
    assert counts["killed"].sum() == 5
    assert int(counts["count"].sum()) == 2


def test_incidents_feed_read_incidents_counts_and_maps(tmp_path: Path) -> None:
    text = (
        "A roadside bomb killed three soldiers in Lashkargah on Tuesday. "
        "Separately, an attack in Badghis Province killed at least 13. "
        "Fighting in Nawa was reported."
    )
    rows = ag.extract_incidents(text, published="2020-10-14")
    located = ag.read_incidents(rows)
    assert located["status"].tolist() == ["located", "province_only", "located"]
    assert located["district"].iloc[2] == "Nawa-i-Barakzayi"  # the Nawa near Lashkar Gah
    counts = ag.count_by_province(located, weight="killed")
    assert int(counts["count"].sum()) == 3
    assert float(counts["killed"].sum()) == 16
    m = ag.incident_map(located)
    path = ag.save_map(m, tmp_path / "x.html")
    assert "Lashkar" in path.read_text(encoding="utf-8")


def test_published_date_from_the_article_itself() -> None:
    text = "Headline\n\nOct. 12, 2020\n\nThe Taliban attacked Kunduz on Sunday."
    rows = ag.extract_incidents(text)
    assert rows["date"].tolist() == [pd.Timestamp("2020-10-11")]
    assert rows.attrs["published"] == "2020-10-12"


# --- robustness: any text, any publication date (reliability review F07) ----------------


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Taliban attacked Kabul in the past 800000 days.", "2020-01-01"),
        ("Taliban attacked Kabul 10000 years ago, killing 3.", "2020-01-01"),
        ("Taliban attacked Kabul, killing 100000000000000000000 people.", None),
        ("Taliban attacked Kabul, killing " + "9" * 5000 + " people.", None),
        ("10^400 people were killed in an attack in Kabul.", None),
        ("An attack in Kabul killed 99999999999999999999.", "2020-01-01"),
        ("Yesterday the Taliban attacked Kabul.", "0001-01-01"),
        ("Late Thursday the Taliban attacked Kabul, last week too.", dt.date.min),
        ("Since Monday the Taliban attacked Kabul.", dt.date.max),
        ("The Taliban attacked Kabul on Dec. 30.", "9999-12-31"),
        ("The Taliban attacked Kabul on 0001-01-01 and on 9999-12-31.", dt.datetime(2020, 1, 1)),
        ("The Taliban attacked Kabul yesterday.", pd.Timestamp("2020-01-02 05:00", tz="UTC")),
        ("The Taliban attacked Kabul yesterday.", pd.NaT),
        ("The Taliban attacked Kabul yesterday.", ""),
        ("The Taliban attacked Kabul \ud800 yesterday, killing 3.", "2020-01-01"),
    ],
)
def test_absurd_numbers_and_far_dates_do_not_raise(text: str, published: object) -> None:
    rows = ag.extract_incidents(text, published=published)  # type: ignore[arg-type]
    assert len(rows) == 1 and rows["province"].iloc[0] == "Kabul"
    killed = rows["killed"].iloc[0]
    assert pd.isna(killed) or 0 <= killed <= 50_000_000


@pytest.mark.parametrize(
    "published", ["-31.5", "not a date", "2020-13-45", "\ud800", 5, 2020.5, object(), ["2020"]]
)
def test_bad_published_is_one_line_error(published: object) -> None:
    with pytest.raises(InvalidInputError, match="published") as err:
        ag.extract_incidents("A blast hit Kabul.", published=published)  # type: ignore[arg-type]
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


def test_published_forms() -> None:
    text = "The Taliban attacked Kabul yesterday."
    expected = pd.Timestamp("2020-04-23")
    for published in (
        "2020-04-24", dt.date(2020, 4, 24), dt.datetime(2020, 4, 24, 23, 59),
        pd.Timestamp("2020-04-24"), np.datetime64("2020-04-24"),
    ):  # fmt: skip
        rows = ag.extract_incidents(text, published=published)  # type: ignore[arg-type]
        assert rows["date"].tolist() == [expected], published
    assert ag.extract_incidents(text, published=None).attrs["published"] is None


# text of every kind: any code point (lone surrogates too), control characters, HTML,
# spreadsheet formula prefixes, and news-like words
_any_char = st.characters(exclude_categories=())
_pieces = st.sampled_from(
    [
        "<p>", "</p>", "<script>alert(1)</script>", "&amp;", "=", "+", "-", "@",
        "=cmd|' /C calc'!A0",
        "\x00", "\x1b[31m", "\u202e", "\u0301", "\ud800", "\r\n", "\n\n", "\t", "...", "—",
        "Kabul", "Lashkar Gah", "Nawa", "Mr. Afghan", "KABUL, Afghanistan —", "Helmand Province",
        "killed at least 13", "10^400 people killed", "9" * 30, "yesterday", "late Thursday",
        "the suburbs of Babaji and Chahanjir", "no casualties", "1,500 families", "Doha",
        "In Lashkar Gah, fighters attacked Nawa.", " ", ", ", ". ",
        "50000000 soldiers and 50000000 police were killed", " between 25 and 40 ",
        "killed or wounded 22", "a mother and her two children", "also killed",
    ]
)  # fmt: skip
_texts = st.text(_any_char, max_size=300) | st.lists(
    _pieces | st.text(_any_char, max_size=5), max_size=80
).map("".join)
_published = st.none() | st.dates() | st.datetimes() | st.text(max_size=12)


def _check_mentions(text: str) -> None:
    last_end = 0
    for m in ag.extract_places(text):
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end
        last_end = m.end
        assert m.foreign or m.province is not None


@settings(max_examples=600, deadline=None)
@given(_texts, _published)
def test_extraction_is_total_on_any_text(text: str, published: object) -> None:
    _check_mentions(text)
    try:
        rows = ag.extract_incidents(text, published=published)  # type: ignore[arg-type]
    except AfghangeoError:
        assert isinstance(published, str)  # only a published string can be wrong
        return
    for start, end, what in zip(rows["start"], rows["end"], rows["what"], strict=True):
        assert text[start:end] == what
    for col in _FIGURE_COLUMNS:
        assert ((rows[col] >= 0) & (rows[col] <= 50_000_000)).fillna(True).all()
    assert (rows["killed_low"] <= rows["killed_high"]).fillna(True).all()
    for f in rows.attrs["figures"]:
        assert text[f["start"] : f["end"]] == f["text"]
        assert f["value"] is None or f["high"] is None or f["value"] < f["high"]


_words = st.sampled_from(
    "Kabul Lashkar Gah Nawa Mr. Afghan killed at least 13 the of in , . — Province "
    "Doha Qatar Helmand late Thursday since Friday no casualties wounded 1,500 families "
    "displaced U.S. Gen. S. Miller said\n".split(" ")
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_words, max_size=60).map(" ".join))
def test_extraction_on_news_like_word_salad(text: str) -> None:
    _check_mentions(text)
    rows = ag.extract_incidents(text, published="2020-10-12")
    assert (rows["start"] <= rows["end"]).all()


# --- the two source articles (when ../shared/seeds is present) ---------------------------


def _seeds() -> list[dict[str, object]]:
    path = SEEDS / "expected.json"
    if not path.exists():
        return []
    articles: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return articles


needs_seeds = pytest.mark.skipif(not _seeds(), reason="../shared/seeds is not present")


def _article(expected: dict[str, object]) -> str:
    return (SEEDS / str(expected["file"])).read_text(encoding="utf-8")


@needs_seeds
@pytest.mark.parametrize("index", [0, 1])
def test_seed_places(index: int) -> None:
    expected = _seeds()[index]
    found = ag.extract_places(_article(expected))
    afghan = [m for m in found if not m.foreign]
    for place in expected["afghan_places"]:  # type: ignore[attr-defined]
        hits = [m for m in afghan if m.text.startswith(place["name"])]
        assert hits, place["name"]
        assert {m.province for m in hits} == {place["province"]}, place["name"]
    foreign = {m.text for m in found if m.foreign}
    assert set(expected["foreign_places"]) <= foreign  # type: ignore[arg-type]
    texts = " | ".join(m.text for m in found)
    for not_place in expected["not_places"]:  # type: ignore[attr-defined]
        for word in not_place.split():
            assert all(m.text != word for m in afghan), not_place
    assert "Afghan" not in {m.text for m in found}, texts


@needs_seeds
def test_seed_lashkar_gah_incidents() -> None:
    expected = _seeds()[0]
    rows = ag.extract_incidents(_article(expected), published=expected["published"])
    assert set(rows["province"]) == {"Helmand"}
    assert rows["place"].str.contains("Lashkar").any()
    assert {"Babaji", "Chah-e Anjir"} <= set(rows["place"])  # notable places, bundled
    nawa = rows[rows["place"].str.startswith("Nawa")]
    assert len(nawa) == 1 and nawa["province"].iloc[0] == "Helmand"
    assert rows["displaced_families"].max() == 1500
    assert (rows["date"] == pd.Timestamp("2020-10-09")).all()
    assert (rows["date_end"] == pd.Timestamp("2020-10-12")).all()
    assert rows["incident"].nunique() == 3
    kandahar_or_kabul = rows["place"].str.contains("Kabul|Kandahar")
    assert not kandahar_or_kabul.any()
    facts = rows.attrs["facts"]
    assert any(f["value"] == 34 for f in facts)


@needs_seeds
def test_seed_badghis_incident() -> None:
    expected = _seeds()[1]
    rows = ag.extract_incidents(_article(expected), published=expected["published"])
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["province"] == "Badghis" and row["precision"] == "province"
    assert row["date"] == pd.Timestamp("2020-04-23")
    assert row["killed"] == 13 and row["killed_qualifier"] == "at least"
    assert any(f["value"] == 50 and f["what"] == "attacks" for f in rows.attrs["facts"])


@needs_seeds
def test_seed_suburbs_resolve_to_villages_with_the_shared_gazetteer() -> None:
    if not VILLAGES.exists():
        pytest.skip("../shared/data/gazetteer/testonly is not present")
    ag.add_gazetteer(VILLAGES)
    expected = _seeds()[0]
    found = {m.text: m for m in ag.extract_places(_article(expected))}
    for name in ("Babaji", "Chahanjir"):
        m = found[name]
        assert m.precision == "place" and m.province == "Helmand"
        assert great_circle((m.lat, m.lon), LASHKAR_GAH).km < 15
    # the larger gazetteer brings no new false places into the article
    afghan = {m.text for m in ag.extract_places(_article(expected)) if not m.foreign}
    assert afghan <= {
        "KABUL", "Kabul", "Kandahar", "Lashkar Gah", "Helmand", "Helmand Province",
        "Babaji", "Chahanjir", "Nawa",
    }  # fmt: skip


def test_tables_without_incidents_are_independent() -> None:
    """The empty table is copied from one made once: changing one must not change the next."""
    first = ag.extract_incidents("The council met to discuss the budget.")
    first.loc[0, "place"] = "changed"
    first.attrs["facts"].append({"x": 1})
    second = ag.extract_incidents("Nothing else happened.")
    assert second.empty and second.attrs["facts"] == []
    assert list(second.columns) == INCIDENT_COLUMNS


# letters that IGNORECASE matches to ASCII ones but whose lowercase is not that letter
# (long s, dotless i, dotted capital I) or that lowercases to an ASCII one (Kelvin sign)
_ODD_LETTERS = {"s": "ſ", "i": "ı", "I": "İ", "k": "\u212a", "K": "\u212a"}


@pytest.mark.parametrize(
    "text",
    [
        "Fighting in Kabul late Tueſday killed 3.",
        "Two dayſ ago a bomb in Herat killed 4.",
        "In the paſt two days, 5 died in Ghazni.",
        "Three ſoldiers and two U.ſ. advisers were killed in Kunduz on Monday.",
        "Gunmen \u212aILLED five policemen in Helmand on Frıday.",
        "An attack in Badghis on Saturday İnjured 12 civilıans and killed two ſoldiers.",
    ],
)
def test_letters_ignorecase_folds_never_raise(text: str) -> None:
    rows = ag.extract_incidents(text, published="2020-10-12")
    assert len(rows) >= 1 and rows["province"].notna().all()


_PASSAGES = [
    json.loads(line)["text"]
    for line in (Path(__file__).parent / "data" / "extract_dev.jsonl")
    .read_text("utf-8")
    .split("\n")
    if line.strip()
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_PASSAGES), st.randoms(use_true_random=False))
def test_passages_with_odd_letters_never_raise(passage: str, rng: Any) -> None:
    """The dev passages with some letters swapped for their IGNORECASE look-alikes."""
    text = "".join(
        _ODD_LETTERS[c] if c in _ODD_LETTERS and rng.random() < 0.3 else c for c in passage
    )
    rows = ag.extract_incidents(text, published="2020-10-12")
    assert set(INCIDENT_COLUMNS) <= set(rows.columns)
    ag.extract_places(text)
