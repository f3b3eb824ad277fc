"""Leave-one-out calibration on a bundle-only sample: world (b) of benchmarks/calibration.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from afghangeo import _calibration, _decide
from afghangeo.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fc():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import fit_calibration
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return fit_calibration


def test_leave_one_out_answers_scored_at_least_09_are_right(fc) -> None:  # type: ignore[no-untyped-def]
    gaz = Gazetteer.bundled()
    high = right = 0
    for i, (reduced, queries) in enumerate(fc.loo_world(gaz)):
        if i % 5:
            continue
        for q in queries:
            answer = _decide.resolve_in(reduced, q.text, (q.province, None, None))
            place = _decide.accept(answer, None)
            if place is not None and place.score >= 0.9:
                high += 1
                right += fc.right(place, q.truth)
    assert high > 50
    # issue #12's goal; benchmarks/calibration.py prints the figure on all places
    assert right / high >= 0.99, (right, high)


def test_scores_sum_to_less_than_one() -> None:
    model = _calibration.load()
    rows = [[1.0] * len(_calibration.FEATURES)] * 3
    scores = model.scores(rows)
    assert sum(scores) < 1 and scores[0] == pytest.approx(scores[2])


def test_shipped_calibration_has_every_feature() -> None:
    model = _calibration.load()
    assert len(model.weights) == len(_calibration.FEATURES)
    assert 0 < model.min_total <= model.matched < 1
