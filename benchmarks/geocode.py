"""Geocoding throughput, accuracy and score calibration.

(a) geocode_many on a realistic mix with repeats (names/s);
(b) 5,000 unique noisy names (typos, transliteration variants, unknowns): throughput
    vs rapidfuzz.process.cdist (WRatio) over the same spellings, and the
    share resolved to the right place;
(c) calibration: on held-out variants, how often answers with score >= 0.9 are right.
Usage: python benchmarks/geocode.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

import afghangeo as ag
from afghangeo.gazetteer import Gazetteer
from afghangeo.names import fold_name
from afghangeo.registry import registry as ag_registry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from fit_calibration import variant

UNKNOWN = ["Springfield", "Doha", "Washington", "Berlin", "Qatar", "Islamabad", "Atlantis",
           "Smallville", "Gotham", "Narnia", "Ataullah Afghan", "Zalmay Khalilzad"]  # fmt: skip


def main() -> None:
    rng = random.Random(7)
    gaz = Gazetteer.bundled()
    entries = gaz.entries
    places = entries[entries["kind"].isin(["capital", "town", "district"])]
    truth = {}  # name -> (province, district) of the entry it was made from
    pairs = []
    for rec in places.itertuples():
        pairs.append((rec.name, rec.province, rec.district))
    # (a) realistic mix with repeats
    mix = [rng.choice(pairs)[0] for _ in range(100_000)] + rng.choices(UNKNOWN, k=5_000)
    ag.geocode_many(mix[:100])
    start = time.perf_counter()
    ag.geocode_many(mix)
    t_mix = time.perf_counter() - start
    print(f"(a) geocode_many, {len(mix):,} names with repeats: {len(mix) / t_mix:,.0f} names/s")
    # cached single look-ups, through the registry (no folder listing per call)
    sample = mix[:50_000]
    start = time.perf_counter()
    for name in sample:
        ag.geocode(name)
    t_one = time.perf_counter() - start
    print(f"    cached geocode() calls: {len(sample) / t_one:,.0f} names/s")

    # (b) 5,000 unique noisy names
    noisy = []
    while len(noisy) < 5_000:
        name, prov, dist = rng.choice(pairs)
        known = rng.random() < 0.9
        v = variant(name if known else rng.choice(UNKNOWN), rng)
        if v not in truth:
            truth[v] = (prov, dist) if known else (None, None)
            noisy.append(v)
    ag_registry().cache("geocoder").clear()  # no answers from (a)
    start = time.perf_counter()
    ours = ag.geocode_many(noisy)
    t_ours = time.perf_counter() - start

    choices = []
    owner = []
    for i, (name, others) in enumerate(zip(entries["name"], entries["names"], strict=True)):
        for spelling in (name, *filter(None, others.split("|"))):
            choices.append(spelling)
            owner.append(i)
    start = time.perf_counter()
    naive_prov = []
    for lo in range(0, len(noisy), 500):
        chunk = noisy[lo : lo + 500]
        matrix = process.cdist(chunk, choices, scorer=fuzz.WRatio, dtype=np.uint8, workers=1)
        best = matrix.argmax(axis=1)
        for row, j in zip(matrix, best, strict=True):
            naive_prov.append(entries["province"].iloc[owner[j]] if row[j] >= 85 else None)
    t_naive = time.perf_counter() - start

    expected = [truth[v][0] for v in noisy]
    answered_mask = ours["status"].isin(["matched", "uncertain", "ambiguous"])
    got = ours["province"].where(answered_mask, None).tolist()
    right = np.mean([g == e for g, e in zip(got, expected, strict=True)])
    naive_right = np.mean([g == e for g, e in zip(naive_prov, expected, strict=True)])
    print(
        f"(b) 5,000 unique noisy names: afghangeo {len(noisy) / t_ours:,.0f} names/s, "
        f"rapidfuzz cdist (WRatio, 1 worker) {len(noisy) / t_naive:,.0f} names/s, "
        f"ratio {t_naive / t_ours:.1f}x"
    )
    print(
        f"    right province (incl. abstaining on unknowns): afghangeo {right:.1%}, "
        f"naive {naive_right:.1%}"
    )

    # (c) calibration by score bucket
    ours["right"] = [g == e for g, e in zip(got, expected, strict=True)]
    ours["answered"] = answered_mask
    answered = ours[ours["answered"]]
    bins = pd.cut(answered["score"], [0, 0.6, 0.75, 0.9, 0.95, 1.0], include_lowest=True)
    table = answered.groupby(bins, observed=True)["right"].agg(["size", "mean"])
    print("(c) calibration on held-out variants (answered only):")
    print(table.rename(columns={"size": "answers", "mean": "share right"}).to_string())
    high = answered[answered["score"] >= 0.9]
    print(
        f"    score >= 0.9: {len(high):,} answers, {high['right'].mean():.2%} right "
        f"(goal >= 99%); abstained on {(~ours['answered']).sum():,} of {len(ours):,}"
    )
    unknown_answered = [
        v for v, a in zip(noisy, ours["answered"], strict=True) if truth[v][0] is None and a
    ]
    print(f"    unknown names answered anyway: {len(unknown_answered)}")
    if unknown_answered:
        print(f"    e.g. {[fold_name(u) for u in unknown_answered[:3]]}")


if __name__ == "__main__":
    main()
