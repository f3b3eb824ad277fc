"""District names: every spelling of the 398 districts, and matching one within a province.

The spellings are the boundary layer's names and aliases and those of
``district_aliases.csv``. :func:`lookup` finds a name by its folded spelling or name
key; :func:`near_miss` is the fallback of a district column that states its
province: a spelling close to the names of that province's 10-30 districts only,
accepted when one district is clearly closer than every other.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

import numpy as np

from afghangeo import _data
from afghangeo.names import fold_name, is_arabic_script, name_key

__all__ = [
    "MIN_MARGIN",
    "MIN_SIMILARITY",
    "MIN_SIMILARITY_UNSAID",
    "lookup",
    "near_miss",
    "near_miss_similarity",
    "said_district",
    "says_district",
    "spellings",
]

#: A near miss must be this similar (rapidfuzz ratio of folded spellings, 0-100) ...
MIN_SIMILARITY = 80.0
#: ... and this much more similar than the best spelling of any other district.
#: (Chosen on re-spellings of the bundled district names, tools/fit_calibration.py's
#: generator: 96 % of those no table lists are found, all of them right; of bundled
#: town names, 1 % find another district than their own.)
MIN_MARGIN = 4.0
#: A name not said to be a district ("Nad Aly", not "Nad Aly district") must be this
#: similar to be read as one: village names derive from district names (Choraka,
#: Bazarak), and a province hint alone does not say the name is a district.
MIN_SIMILARITY_UNSAID = 90.0
#: Shorter folded names are too short to be matched approximately.
MIN_CHARS = 4

#: Generic words that a misspelling may still end with ("Nad Ali distict").
_GENERIC_TAILS = ("district", "province", "village", "city", "center", "centre")

Hit = tuple[str, str, str]  # (province, district, folded spelling)


@functools.cache
def spellings() -> tuple[dict[str, list[Hit]], dict[str, str]]:
    """(name key -> [(province, district, folded spelling)], folded spelling -> district)."""
    by_key: dict[str, list[Hit]] = defaultdict(list)
    folded: dict[str, str] = {}
    for rec in _data.read_layer("districts").itertuples():
        extra = _extra_aliases().get((rec.province, rec.name), [])
        for spelling in [rec.name, *filter(None, rec.aliases.split("|")), *extra]:
            by_key[name_key(spelling)].append((rec.province, rec.name, fold_name(spelling)))
            folded[fold_name(spelling)] = rec.name
    return dict(by_key), folded


@functools.cache
def _extra_aliases() -> dict[tuple[str, str], list[str]]:
    """(province, district) -> the spellings of ``district_aliases.csv``, if bundled."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    if _data.has_resource("district_aliases.csv"):
        for row in _data.read_csv_rows("district_aliases.csv"):
            out[(row["province"], row["district"])].append(row["alias"])
    return dict(out)


def lookup(name: str, scope: str | None) -> list[tuple[str, str]]:
    """Distinct (province, district) pairs spelled `name` (in `scope`, if given).

    A spelling that matches exactly beats one that only shares the name key
    (Bagram, Bagrami).
    """
    hits = [h for h in spellings()[0].get(name_key(name), []) if scope in (None, h[0])]
    exact = _distinct([h for h in hits if h[2] == fold_name(name)])
    return exact or _distinct(hits)


def _distinct(hits: list[Hit]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((province, district) for province, district, _ in hits))


@functools.cache
def _province_spellings(province: str) -> dict[str, list[str]]:
    """District -> folded Latin spellings, for the districts of `province`."""
    out: dict[str, list[str]] = defaultdict(list)
    for hits in spellings()[0].values():
        for prov, district, folded in hits:
            if prov == province and folded and not is_arabic_script(folded):
                out[district].append(folded)
    return dict(out)


def near_miss(name: str, province: str) -> str | None:
    """The district of `province` that `name` misspells, when one clearly stands out.

    Compares the folded spelling (a misspelled generic last word dropped) with every
    Latin spelling of the province's districts; the best district must reach
    :data:`MIN_SIMILARITY` and beat the runner-up by :data:`MIN_MARGIN`, both letter
    by letter and word by word.

    Examples
    --------
    >>> near_miss("Nahre Sirraj", "Helmand"), near_miss("Nad Aly", "Helmand")
    ('Nahri Sarraj', 'Nad Ali')
    >>> near_miss("Surkh Rod distict", "Nangarhar"), near_miss("Urghistan", "Kandahar")
    ('Surkh Rod', 'Arghistan')
    >>> near_miss("Sangin", "Kabul") is None, near_miss("Behsud", "Wardak") is None
    (True, True)
    """
    found = near_miss_similarity(name, province)
    return found[0] if found is not None else None


def near_miss_similarity(name: str, province: str) -> tuple[str, float] | None:
    """(district, similarity 0-1) of :func:`near_miss`, or None."""
    from rapidfuzz import fuzz

    folded = _without_generic_tail(fold_name(name))
    if len(folded.replace(" ", "")) < MIN_CHARS or is_arabic_script(folded):
        return None
    forms = _province_spellings(province)
    best = {d: max(fuzz.ratio(folded, f) for f in fs) for d, fs in forms.items()}
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_SIMILARITY:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if ranked[0][1] - runner_up < MIN_MARGIN:
        return None
    # a name that another district's spelling holds word for word is no near miss of
    # one: Behsud (Wardak) may be Markazi Bihsud as well as Behsud 1
    district = ranked[0][0]
    words = {d: max(fuzz.token_set_ratio(folded, f) for f in fs) for d, fs in forms.items()}
    if any(words[d] > words[district] - MIN_MARGIN for d in words if d != district):
        return None
    return district, ranked[0][1] / 100.0


def _without_generic_tail(folded: str) -> str:
    """`folded` without a last word that misspells a generic one ("Surkh Rod distict")."""
    from rapidfuzz import fuzz

    head, _, last = folded.rpartition(" ")
    if head and len(last) >= 3 and any(fuzz.ratio(last, g) >= 85 for g in _GENERIC_TAILS):
        return head
    return folded


_DISTRICT_WORD = re.compile(
    r"\b(?:district|w[ou]l[eu]swal[iy]|[ou]l[eu]swal[iy])\s*$", re.IGNORECASE
)


def says_district(texts: np.ndarray) -> np.ndarray:
    """Whether each place text ends with the word for a district ("Sangin district").

    >>> import numpy as np
    >>> says_district(np.array(["Sangin district", "Sangin", "Sangin District Centre", None]))
    array([ True, False, False, False])
    """
    return np.array([said_district(t) for t in texts], bool)


def said_district(text: object) -> bool:
    """Whether `text` is a str ending with the word for a district."""
    return isinstance(text, str) and bool(_DISTRICT_WORD.search(text))
