from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from afghangeo.errors import InvalidInputError
from afghangeo.names import GENERIC_WORDS, fold_name, is_arabic_script, name_key

SAME_PLACE = [
    ("Helmand", ["Hilmand", "HELMAND", "Helmand Province", "helmand province", "Hilmand Wilayat"]),
    (
        "Qala-i-Naw",
        ["Qala e Naw", "Qal'ah-ye Now", "Qalai Naw", "Qala-e-Naw", "Qala i Naw", "Qal‘ah-ye Now"],
    ),
    ("Chahanjir", ["Chah-e Anjir", "Chahi Anjir", "Chah-i-Anjir", "Chah e Anjir"]),
    (
        "Lashkar Gah",
        ["Lashkargah", "Lashkar Gāh", "LASHKAR GAH", "Lashkar-Gah", "Lashkar Gah city"],
    ),
    ("Uruzgan", ["Urozgan", "Oruzgan", "Ruzgan", "Orozgan"]),
    ("Nimroz", ["Nimruz", "Nīmrōz"]),
    ("Sar-e Pol", ["Sar-i-Pul", "Sari Pul", "Sar-e Pul", "Saripul"]),
    ("Daykundi", ["Daikundi", "Dai Kundi", "Daykondi"]),
    ("Jowzjan", ["Jawzjan", "Jozjan"]),
    ("Paktia", ["Paktiya", "Paktya"]),
    ("Nangarhar", ["Nangrahar", "Ningarhar"]),
    ("Bamyan", ["Bamian", "Bamiyan", "Bāmyān"]),
    ("Panjshir", ["Panjsher"]),
    ("Kunduz", ["Kondoz", "Qunduz"]),
    ("Herat", ["Hirat", "Herāt"]),
    ("Kandahar", ["Qandahar", "Kandahār"]),
    ("Mazar-i-Sharif", ["Mazar-e Sharif", "Mazār-e Sharīf", "Mazar i Sharif", "Mazari Sharif"]),
    ("Tarin Kot", ["Tarinkot", "Tirin Kot", "Tarin Kowt"]),
    ("Khost", ["Khowst", "Khōst"]),
    ("Wardak", ["Vardak"]),
    ("Pul-i-Khumri", ["Pul-e Khumri", "Puli Khumri", "Pol-e Khomri"]),
    ("Sheberghan", ["Shibirghan", "Shiberghan"]),
    ("Nad Ali", ["Nad-e Ali", "Nad-i-Ali", "Nād ‘Alī"]),
    ("Naw Zad", ["Now Zad", "Nawzad"]),
    ("Maywand", ["Maiwand", "Mayvand"]),
    ("Ghazni", ["Ghazni City", "Ghaznī"]),
    ("Jalalabad", ["Jalālābād", "Jalal Abad"]),
    ("Kabul", ["Kabul City", "Kabul, Afghanistan", "KABUL"]),
    ("Sangin", ["Sangīn", "Sangin District", "Sangin Wuluswali", "Woluswali Sangin"]),
]


@pytest.mark.parametrize(
    ("canonical", "variant"), [(c, v) for c, variants in SAME_PLACE for v in variants]
)
def test_name_key_folds_spelling_variants(canonical: str, variant: str) -> None:
    assert name_key(variant) == name_key(canonical)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("هلمند", "ولایت هلمند"),
        ("لشکرگاه", "لشكرگاه"),  # Arabic kaf vs Persian keheh
        ("لشکرگاه", "لشکر گاه"),  # space
        ("لشکرگاه", "لشکر\u200cگاه"),  # zero-width non-joiner
        ("بادغیس", "بادغيس"),  # Arabic yeh vs Persian yeh
        ("کندهار", "قندهار"),  # qaf and kaf spellings
        ("هرات", "هرات\u200f"),  # right-to-left mark
        ("ننگرهار", "ننگرهار"),
        ("کابل", "كابُل"),  # kaf + damma diacritic
        ("زرنج", "زرنج شهر"),
    ],
)
def test_name_key_normalizes_arabic_script(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    assert name_key(a) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kabul", "Kandahar"),
        ("Herat", "Helmand"),
        ("Nawa", "Nawur"),
        ("Badghis", "Baghlan"),
        ("Khost", "Kunduz"),
        ("Paktia", "Paktika"),
    ],
)
def test_name_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lashkar Gāh", "lashkar gah"),
        ("Qal'ah-ye Now District", "qalah now"),
        ("Helmand Province", "helmand"),
        ("District", "district"),  # a generic word alone is kept
        ("the city of Kabul", "kabul"),
        ("", ""),
        ("   ", ""),
        ("--!!", ""),
        ("Bazarak", "bazarak"),  # a name that starts like a generic word is kept
    ],
)
def test_fold_name(text: str, expected: str) -> None:
    assert fold_name(text) == expected


@pytest.mark.parametrize("bad", [None, 3, 4.5, b"Kabul", ["Kabul"]])
def test_non_strings_are_rejected_clearly(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="must be a str"):
        name_key(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="must be a str"):
        fold_name(bad)  # type: ignore[arg-type]


def test_is_arabic_script() -> None:
    assert is_arabic_script("ولایت هلمند")
    assert not is_arabic_script("Helmand")


@given(st.text())
def test_name_key_is_total_and_idempotent(text: str) -> None:
    key = name_key(text)
    assert isinstance(key, str)
    assert name_key(key) == key


@given(st.text())
def test_fold_name_is_total_and_idempotent(text: str) -> None:
    folded = fold_name(text)
    assert isinstance(folded, str)
    assert fold_name(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzāīūēō '-", min_size=1), st.booleans())
def test_case_and_generic_words_do_not_change_the_key(text: str, upper: bool) -> None:
    variant = text.upper() if upper else text.title()
    assert name_key(variant) == name_key(text)
    assume(any(word not in GENERIC_WORDS for word in fold_name(text).split()))
    assert name_key(f"{text} province") == name_key(text)
    assert name_key(f"District of {text}") == name_key(text)
