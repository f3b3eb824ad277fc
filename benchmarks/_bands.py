"""Score bands shared by the calibration benchmarks: the share right per band."""

from __future__ import annotations

import pandas as pd

#: Band edges; the last is above 1 so that a score of 1 falls in the top band.
BANDS = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]


def per_band(answered: pd.DataFrame, right: str) -> pd.DataFrame:
    """Answers and the percentage right per band of ``answered["score"]``.

    `answered` has a ``score`` and a boolean ``right`` column; `right` names the
    percentage column of the result.
    """
    cut = pd.cut(answered["score"], BANDS, right=False)
    out = answered.groupby(cut, observed=False)["right"].agg(["size", "mean"])
    out.index = [
        f"[{b.left:.2f},{min(b.right, 1):.2f}{')' if b.right < 1 else ']'}" for b in out.index
    ]
    out.columns = ["answers", right]
    out[right] = (100 * out[right]).round(1)
    return out
