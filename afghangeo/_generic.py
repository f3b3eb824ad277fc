"""Village names that recur across Afghanistan, told apart from names of one place.

Many Afghan village names are built from a few common elements — "new village"
(Deh Naw), "plane tree" (Chinar), "little bazaar" (Bazarak), a person's name with
*-abad*, *-khel* or *-kalay* (Aliabad, Ali Khel, Mullah Kalay) — and so name hundreds
of villages. A bundled town of such a name is only one of them: when a report names
one without a province, the geocoder must not be sure it is the bundled one. The word
lists are general knowledge of Dari and Pashto place-name formation, written by the
afghangeo developers (see ``afghangeo/data/SOURCES.md``), not derived from any
gazetteer.

>>> from afghangeo._generic import is_recurring
>>> is_recurring("deh now"), is_recurring("aliabad"), is_recurring("lashkar gah")
(True, True, False)
"""

from __future__ import annotations

__all__ = ["RECURRING_CAP", "is_recurring"]

#: The highest score an unhinted answer of a recurring village name gets: below the
#: ``matched`` threshold, so that it is reported ``uncertain``.
RECURRING_CAP = 0.75

# Generic elements: landscape, water, settlement, directions, colours, sizes, age.
_ELEMENTS = frozenset(
    """
    deh dih de qala qalah kala kalay kalai kili kelay killi khel kheyl khil kor kot kote
    abad awad bagh baghak bagh-e chinar chenar chinarak bazar bazarak dukan sarai sara
    kariz karez chashma cheshma chasma chah chaah ab aab awi obeh juy jui joy nahr nawar
    band bandar pul pol sar sare sang sangi tangi tang dara darah dareh dasht daman kotal
    kohna kona kuhna naw nau now nawe nowe bala payin payan pain miyana mayana mian khurd
    kalan kalan-e surkh sorkh safed sufaid siah siyah sabz zard shahr shar shahrak
    ghar gar kuh koh tepa tapa tappa qol kol kul robat rabat ribat langar ziarat zyarat
    masjid mazar khana khanah khaneh kandi kandai banda bandi garhi kach kachai
    sheikh shaikh mulla mullah mullo sayed sayyid said khwaja khoja haji hajji baba pir
    shah mir khan mohammad muhammad ali hasan hassan husain hussain ahmad mahmud karim
    rahim nur noor gul dost dowlat dawlat daulat yar
    """.split()
)  # fmt: skip
# Suffixes that make a village name of almost any word (Aliabad, Alikhel, Mullakalay).
_SUFFIXES = ("abad", "awad", "khel", "kheyl", "khil", "kalay", "kalai", "kelay", "kili", "ak")


def _recurring_word(word: str) -> bool:
    if word in _ELEMENTS:
        return True
    return any(
        word.endswith(s) and len(word) > len(s) + 2 and word[: -len(s)] in _ELEMENTS
        for s in _SUFFIXES
    )


def is_recurring(folded: str) -> bool:
    """Whether a folded name is made only of common village-name elements."""
    words = [w for w in folded.split(" ") if w]
    return bool(words) and all(_recurring_word(w) for w in words)
