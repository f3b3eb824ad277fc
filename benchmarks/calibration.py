"""Is a score a probability? The share of right answers per score band, in three worlds.

(a) closed: re-spellings of bundled names (the generator of tools/fit_calibration.py,
    another seed); right = the place meant, or it at another scale (its district or
    province; see ``fit_calibration.right``); abstaining is a miss.
(b) open, leave-one-out: each bundled place taken out of the index with all its
    spellings, its names asked; right = abstain, or the same place at another scale:
    the province holding it, the district holding it, an entry within 12 km in the
    same province (for a place), any entry inside it (for a district or a province).
(c) open, real: village names (feature_code PPL) of
    ../shared/data/gazetteer/testonly/af_gazetteer_test.csv asked of the bundle alone
    (skipped without that file); right = abstain, or an answer in the village's
    province (from its coordinates) that is that province, or its district (same
    district), or a place within 12 km of it. "wrong province" counts answers in
    another province, the measure of issue #12 (6.7 % of queries at score >= 0.9).

Band rows: answers in the band, and the share of them that is right. Goals: in every
world, answers scored >= 0.9 are right >= 99 %; in (c), wrong answers scored >= 0.9
are <= 1 % of all queries. The test-only file only measures: nothing from it is fitted.
Usage: python benchmarks/calibration.py [--loo-sample N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import fit_calibration as fc  # noqa: E402
from _bands import per_band  # noqa: E402

import afghangeo as ag  # noqa: E402
from afghangeo import _decide  # noqa: E402
from afghangeo.gazetteer import Gazetteer, Row  # noqa: E402

TESTONLY = ROOT.parent.parent / "shared" / "data" / "gazetteer" / "testonly"
TESTONLY = TESTONLY if TESTONLY.exists() else Path("/work/shared/data/gazetteer/testonly")
Ask = Callable[[Gazetteer, str, str | None], "ag.Place | None"]


def ask(gaz: Gazetteer, text: str, province: str | None) -> ag.Place | None:
    """The geocoder's answer (default abstention) for `text` in `gaz`."""
    answer = _decide.resolve_in(gaz, text, (province, None, None))
    return _decide.accept(answer, None)


def table(results: list[tuple[ag.Place | None, bool]], title: str) -> pd.DataFrame:
    """Print and return the band table of (answer, right) pairs."""
    scores = [p.score if p is not None else None for p, _ in results]
    frame = pd.DataFrame({"score": scores, "right": [r for _, r in results]})
    answered = frame.dropna(subset=["score"])
    out = per_band(answered, "right")
    high = answered[answered["score"] >= 0.9]
    print(f"\n{title}: {len(frame):,} queries, {len(answered):,} answered, "
          f"abstained {1 - len(answered) / max(1, len(frame)):.1%}")  # fmt: skip
    print(out.to_string())
    if len(high):
        wrong = (~high["right"]).sum()
        print(f"  score >= 0.9: {len(high):,} answers, {high['right'].mean():.2%} right; "
              f"wrong ones = {wrong / len(frame):.2%} of all queries")  # fmt: skip
    return out


def closed(gaz: Gazetteer, n: int, answer: Ask) -> list[tuple[ag.Place | None, bool]]:
    queries = fc.closed_world(gaz, random.Random(fc.SEED + 1), n)
    out = []
    for q in queries:
        place = answer(gaz, q.text, q.province)
        out.append((place, place is not None and fc.right(place, q.truth)))
    return out


def leave_one_out(gaz: Gazetteer, sample: int, answer: Ask) -> list[tuple[ag.Place | None, bool]]:
    step = max(1, len(gaz) // sample) if sample else 1
    out = []
    for i, (reduced, queries) in enumerate(fc.loo_world(gaz)):
        if i % step:
            continue
        for q in queries:
            place = answer(reduced, q.text, q.province)
            out.append((place, place is None or fc.right(place, q.truth)))
    return out


def villages(n: int, *, unseen: bool = False) -> list[tuple[str, Row]]:
    """`n` village names; with `unseen`, none of those in the default sample.

    The default sample (random_state=1) is the one whose errors were looked at when
    the recurring-name cap was written; ``--unseen`` measures on names not looked at.
    """
    path = TESTONLY / "af_gazetteer_test.csv"
    table_ = pd.read_csv(path)
    table_ = table_[(table_["feature_code"] == "PPL") & table_["latitude"].notna()]
    seen = table_.sample(min(n, len(table_)), random_state=1)
    if unseen:
        rest = table_.drop(seen.index)
        rest = rest[~rest["name"].isin(set(seen["name"]))]
        table_ = rest.sample(min(n, len(rest)), random_state=2)
    else:
        table_ = seen
    where = ag.locate(lon=table_["longitude"], lat=table_["latitude"])
    out = []
    for rec, prov, dist in zip(
        table_.itertuples(), where["province"], where["district"], strict=True
    ):
        if isinstance(prov, str):
            row = Row(str(rec.name), "village", prov, dist, rec.latitude, rec.longitude, 0, "", "")
            out.append((str(rec.name), row))
    return out


def real(gaz: Gazetteer, queries: Iterable[tuple[str, Row]], answer: Ask) -> list:
    out, wrong_province = [], []
    for text, truth in queries:
        place = answer(gaz, text, None)
        out.append((place, place is None or fc.right(place, truth)))
        wrong_province.append((place, place is None or place.province == truth.province))
    return [out, wrong_province]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--closed", type=int, default=4000)
    parser.add_argument("--loo-sample", type=int, default=0, help="places (0: all)")
    parser.add_argument("--villages", type=int, default=3000)
    parser.add_argument(
        "--unseen", action="store_true", help="(c) on village names never inspected"
    )
    parser.add_argument("--only-villages", action="store_true", help="skip (a) and (b)")
    args = parser.parse_args()
    gaz = Gazetteer.bundled()
    if not args.only_villages:
        table(closed(gaz, args.closed, ask), "(a) closed world, re-spellings of bundled names")
        table(leave_one_out(gaz, args.loo_sample, ask), "(b) open world, leave-one-out")
    if not (TESTONLY / "af_gazetteer_test.csv").exists():
        print("\n(c) skipped: the test-only village file is not present")
        return
    strict, loose = real(gaz, villages(args.villages, unseen=args.unseen), ask)
    table(strict, "(c) open world, real village names (right = its district or 12 km)")
    table(loose, "(c') the same, right = its province")


if __name__ == "__main__":
    main()
