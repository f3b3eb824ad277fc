"""The fitted score: match features of each place a name may mean → calibrated probabilities.

For one query the geocoder has a few options (places the name may mean, each a group
of gazetteer entries). Each option gets a utility ``z = w · x`` from its match features
``x`` (:data:`FEATURES`); a further option, "none of these" (the name is some place the
index does not hold), has utility 0. The score of option ``g`` is

    s_g = exp(z_g) / (1 + Σ_h exp(z_h))

a conditional logit: the scores of a query's options sum to less than 1, the rest being
the probability that the answer is none of them. The weights are fitted by
``tools/fit_calibration.py`` on bundle-derived queries only (spelling variants of bundled
names, and leave-one-out queries whose place was taken out of the index) and shipped in
``data/calibration.json`` together with the thresholds the geocoder uses.

>>> model = load()
>>> s = model.scores([[0.0] * len(FEATURES)])
>>> 0 < s[0] < 1
True
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from afghangeo import _data

__all__ = ["FEATURES", "Model", "load"]

#: Features of one option, in the order of the shipped weights.
FEATURES = (
    "bias",  # 1
    "exact",  # the folded query equals a spelling of the entry
    "key",  # same consonant key, different spelling
    "fuzzy",  # a similar key only
    "dissimilarity",  # 1 - rapidfuzz ratio of the folded query and the matched spelling
    "off_primary",  # 1 - ratio of the folded query and the entry's own name (0: Arabic)
    "short_key",  # max(0, 5 - letters of the query's key)
    "log_length",  # log of the folded query's length
    "shared_key",  # log of how many entries share the query's key
    "rivals",  # log of how many options the query has
    "district",  # the option holds a district (or new district) entry
    "province",  # the option holds a province entry
    "capital",  # the option holds a provincial capital
    "log_population",  # log10(1 + population) of the option's largest entry
    "hinted",  # a province, district or near hint restricted the options
    "arabic",  # the query is in Arabic script
    "words",  # the query has several words
    "commonness",  # mean log(1 + other provinces with entries whose spellings use each word)
    "place_unhinted",  # the option holds only towns/villages and no hint restricted them
    "length_gap",  # letters beyond one by which the query and the matched spelling differ
    "below_best",  # another option matched better (exactly, where this one by key only)
)
FILE = "calibration.json"


@dataclass(frozen=True)
class Model:
    """Weights and thresholds of the shipped calibration.

    Attributes
    ----------
    weights : tuple of float
        One weight per name in :data:`FEATURES`.
    matched : float
        An answer scored at least this, with no close rival, is ``matched``.
    rival_ratio : float
        A rival scored at least ``rival_ratio`` times the answer makes it ``ambiguous``.
    min_total : float
        Below this total score over all options the geocoder abstains (``not_found``):
        the answer and its alternatives are then more often wrong than right.
    unsure_cap : float
        The highest score of an answer that context did not confirm: a name asked
        with no province, district or ``near`` hint that is not a province; a hinted
        answer that matched only a dissimilar spelling; a vicinity ("north of X",
        "the X road"). Leave-one-out queries show that 4-10 % of such answers are
        another place of the same name that the index lacks, so they stay out of
        the 0.9 band, which is kept for answers right at least 99 % of the time in
        every world measured.
    """

    weights: tuple[float, ...]
    matched: float
    rival_ratio: float
    min_total: float
    unsure_cap: float = 1.0

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The calibrated score of each option of one query (they sum to less than 1)."""
        if not rows:
            return []
        utilities = [sum(w * x for w, x in zip(self.weights, row, strict=True)) for row in rows]
        top = max(0.0, *utilities)
        odds = [math.exp(u - top) for u in utilities]
        total = math.exp(-top) + sum(odds)
        return [o / total for o in odds]


def from_dict(data: dict[str, object]) -> Model:
    """A :class:`Model` from the JSON form written by ``tools/fit_calibration.py``."""
    weights = data["weights"]
    assert isinstance(weights, dict)
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        msg = f"{FILE} lacks weights for {missing}; re-run tools/fit_calibration.py."
        raise ValueError(msg)
    thresholds = data["thresholds"]
    assert isinstance(thresholds, dict)
    return Model(
        weights=tuple(float(weights[f]) for f in FEATURES),
        matched=float(thresholds["matched"]),
        rival_ratio=float(thresholds["rival_ratio"]),
        min_total=float(thresholds["min_total"]),
        unsure_cap=float(thresholds.get("unsure_cap", 1.0)),
    )


@functools.cache
def load() -> Model:
    """The shipped calibration (``afghangeo/data/calibration.json``)."""
    return from_dict(json.loads(_data.read_text(FILE)))
