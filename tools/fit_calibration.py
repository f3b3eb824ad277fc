"""Fit the geocoder's score and write afghangeo/data/calibration.json (deterministic).

The score is a conditional logit over the match features of each option a name may
mean (see ``afghangeo/_calibration.py``). It is fitted on bundle-derived queries only:

(a) closed world: re-spellings (vowel swaps, ezafe forms, hyphens, case, a dropped or
    doubled letter, a generic word) of the names of bundled places;
(b) open world, leave-one-out: each bundled place is taken out of the index with all its
    spellings, and its names are asked (its own name and up to three other Latin or
    Arabic spellings). These are real Afghan names the index does not hold;
(b') derived names: a bundled name with a Dari/Pashto name-forming ending or head
    ("Balkh" → "Balkhak", "Chakar" → "Chakaray", "Deh ..."), not a spelling of any
    entry: some other place, so every answer to it is wrong.

A third of the queries of each world carry the place's province as a hint. An option is
right when it is the place asked for, or the same place at another scale (see
:func:`right`). A query of world (b) weighs OPEN_WEIGHT (30) times one of (a): most
names in reports are in no gazetteer, and the weight was chosen on world (b) alone
(10 → 95.7 %, 30 → 97.2 %, 100 → 97.1 % right at score >= 0.9, with ever fewer closed-
world answers); one of (b') weighs DERIVED_WEIGHT (3). Nothing from
``../shared/data/*/testonly`` is read here.

Run from the repository root after changing the bundled gazetteer (about 40 s for 751
entries; the leave-one-out world rebuilds the index once per entry):
``python tools/fit_calibration.py``; ``--check`` reports without writing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from afghangeo import _calibration  # noqa: E402
from afghangeo import _decide as geocoder  # noqa: E402
from afghangeo._geo import great_circle_km  # noqa: E402
from afghangeo._vocab import Level, level_of  # noqa: E402
from afghangeo.gazetteer import Gazetteer, Row  # noqa: E402
from afghangeo.names import fold_name, is_arabic_script  # noqa: E402

OUT = ROOT / "afghangeo" / "data" / _calibration.FILE
SEED = 12
OPEN_WEIGHT = 30.0
DERIVED_WEIGHT = 3.0
L2 = 1e-4
THRESHOLDS = {"matched": 0.8, "rival_ratio": 0.5, "min_total": 0.5, "unsure_cap": 0.89}
SAME_PLACE_KM = geocoder.SAME_PLACE_KM
VOWELS = "aeiou"


def variant(name: str, rng: random.Random) -> str:
    """A plausible re-spelling: vowel swap, ezafe, hyphens, case, a dropped/doubled letter."""
    s = name
    for op in rng.sample(["vowel", "ezafe", "hyphen", "case", "typo", "double", "generic"], k=2):
        if op == "vowel":
            idx = [i for i, c in enumerate(s) if c in VOWELS]
            if idx:
                i = rng.choice(idx)
                s = s[:i] + rng.choice(VOWELS) + s[i + 1 :]
        elif op == "ezafe" and " " in s:
            s = s.replace(" ", rng.choice(["-e ", "-i-", " e ", "i "]), 1)
        elif op == "hyphen":
            s = s.replace(" ", "-") if " " in s else s
        elif op == "case":
            s = s.upper() if rng.random() < 0.5 else s.lower()
        elif op == "typo" and len(s) > 6:
            i = rng.randrange(1, len(s) - 1)
            s = s[:i] + s[i + 1 :]
        elif op == "double" and len(s) > 3:
            i = rng.randrange(1, len(s) - 1)
            s = s[:i] + s[i] + s[i:]
        elif op == "generic":
            s = s + rng.choice([" district", " village", " city", " Province"])
    return s


def right(answer: Row | object, truth: Row) -> bool:
    """Whether an answer names the place `truth`, at its own scale or another one.

    Right: the province holding it; the district holding it (for a place or a district);
    for a place, an entry within 12 km in the same province (the same place listed
    twice, or its district seat); for a district or a province, any entry inside it
    (right at the scale asked for: counted by province, the event lands right).
    """
    kind = str(getattr(answer, "kind", ""))
    province = getattr(answer, "province", None)
    if province != truth.province:
        return False
    level, want = level_of(kind), level_of(truth.kind)
    if level == Level.PROVINCE:
        return True
    if want == Level.PROVINCE:
        return True  # anything inside the province is right at the province's scale
    if getattr(answer, "district", None) == truth.district and (
        level == Level.DISTRICT or want == Level.DISTRICT
    ):
        return True
    lat, lon = float(getattr(answer, "lat", 0.0)), float(getattr(answer, "lon", 0.0))
    return want == Level.PLACE and great_circle_km(lat, lon, truth.lat, truth.lon) <= SAME_PLACE_KM


@dataclass
class Query:
    """One query of a world: the name asked, the place meant, a hint, the index used."""

    text: str
    truth: Row
    province: str | None
    world: str


def spellings(gaz: Gazetteer, entry: int, limit: int = 3) -> list[str]:
    """An entry's own name and up to `limit` other spellings as reports write them."""
    own = str(gaz.entries.at[entry, "name"])
    others = [s for s in str(gaz.entries.at[entry, "names"]).split("|") if s]
    # real transliterations are capitalized; lower-case alternates are machine output
    good = [s for s in others if (s[:1].isupper() or is_arabic_script(s))]
    seen = {fold_name(own)}
    out = [own]
    for s in good:
        if fold_name(s) and fold_name(s) not in seen and len(out) <= limit:
            seen.add(fold_name(s))
            out.append(s)
    return out


def closed_world(gaz: Gazetteer, rng: random.Random, n: int = 6000) -> list[Query]:
    """World (a): re-spellings of bundled names (each a place the index holds)."""
    rows = list(range(len(gaz)))
    out = []
    for i in range(n):
        entry = rng.choice(rows)
        text = variant(rng.choice(spellings(gaz, entry)), rng)
        truth = gaz.rows[entry]
        out.append(Query(text, truth, truth.province if i % 3 == 0 else None, "closed"))
    return out


def loo_world(gaz: Gazetteer) -> Iterator[tuple[Gazetteer, list[Query]]]:
    """World (b): each place left out of the index, with the queries of its names."""
    for entry in range(len(gaz)):
        truth = gaz.rows[entry]
        reduced = Gazetteer(gaz.entries.drop(index=entry))
        names = spellings(gaz, entry)
        queries = [
            Query(t, truth, truth.province if (entry + k) % 3 == 0 else None, "loo")
            for k, t in enumerate(names)
        ]
        yield reduced, queries


#: Name-forming endings and heads of Dari/Pashto place names: "Bazar" → "Bazarak",
#: "Chakar" → "Chakaray", "Shah" → "Shahzai"; a name so derived is another place.
SUFFIXES = ("ak", "ay", "i", "an", "abad", "zai", "khel", "gah", "ga", "u")
PREFIXES = ("Deh ", "Qala-i ", "Kalay ", "Pul-i ", "Sar-i ")


def derived_world(gaz: Gazetteer, rng: random.Random) -> list[Query]:
    """World (b'): names derived from bundled ones ("Balkh" → "Balkhak"), not in the index.

    Each is some other place the index does not hold (where the derived form is a
    spelling of a bundled entry, it is left out), so every answer to it is wrong.
    """
    out = []
    for entry in range(len(gaz)):
        own = str(gaz.entries.at[entry, "name"])
        if is_arabic_script(own):
            continue
        text = own + rng.choice(SUFFIXES) if rng.random() < 0.8 else rng.choice(PREFIXES) + own
        if not gaz.has_spelling(fold_name(text)):
            out.append(Query(text, gaz.rows[entry], None, "derived"))
    return out


def collect(gaz: Gazetteer, rng: random.Random) -> dict[str, list[tuple[Query, list]]]:
    """Options (with features) of every query of worlds (a), (b) and (b')."""
    worlds: dict[str, list[tuple[Query, list]]] = {"closed": [], "loo": [], "derived": []}
    for q in derived_world(gaz, rng):
        worlds["derived"].append((q, geocoder.options(gaz, q.text)))
    for q in closed_world(gaz, rng):
        worlds["closed"].append((q, geocoder.options(gaz, q.text, (q.province, None, None))))
    for reduced, queries in loo_world(gaz):
        for q in queries:
            worlds["loo"].append((q, geocoder.options(reduced, q.text, (q.province, None, None))))
    return worlds


def design(
    worlds: dict[str, list[tuple[Query, list]]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flat option features, query ids, rightness and per-query weights."""
    xs, qid, ok, weights = [], [], [], []
    n = 0
    for world, items in worlds.items():
        w = {"loo": OPEN_WEIGHT, "derived": DERIVED_WEIGHT}.get(world, 1.0)
        for q, opts in items:
            if not opts:
                continue
            for o in opts:
                xs.append(o.features)
                qid.append(n)
                ok.append(world != "derived" and right(o.place, q.truth))
            weights.append(w)
            n += 1
    return np.array(xs), np.array(qid), np.array(ok, bool), np.array(weights)


def _loss(
    w: np.ndarray, x: np.ndarray, qid: np.ndarray, ok: np.ndarray, weight: np.ndarray
) -> tuple[float, np.ndarray]:
    z = x @ w
    nq = len(weight)
    top = np.zeros(nq)
    np.maximum.at(top, qid, z)
    e = np.exp(z - top[qid])
    denom = np.exp(-top) + np.bincount(qid, e, nq)
    right_e = np.bincount(qid, e * ok, nq)
    any_right = np.bincount(qid, ok, nq) > 0
    numer = np.where(any_right, right_e, np.exp(-top))
    nll = float(np.sum(weight * (np.log(denom) - np.log(numer))))
    p = e / denom[qid]
    q = np.where(any_right[qid], e * ok / np.where(right_e > 0, right_e, 1)[qid], 0.0)
    grad = x.T @ ((p - q) * weight[qid])
    reg = L2 * np.r_[0.0, w[1:]]
    return nll / weight.sum() + float(reg @ w) / 2, grad / weight.sum() + reg


#: Features whose weight may not be positive: matching only another name of an entry
#: (Qarghah'i, which GeoNames also calls "Deh Mazang") or a less similar spelling is
#: never better evidence than matching its own name or a closer spelling.
NON_POSITIVE = ("off_primary", "dissimilarity", "length_gap")


def fit(x: np.ndarray, qid: np.ndarray, ok: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Maximum-likelihood weights of the conditional logit (L-BFGS, L2 penalty)."""
    start = np.zeros(x.shape[1])
    bounds = [(None, 0.0) if f in NON_POSITIVE else (None, None) for f in _calibration.FEATURES]
    result = minimize(
        _loss, start, args=(x, qid, ok, weight), jac=True, method="L-BFGS-B", bounds=bounds
    )
    return np.asarray(result.x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fit and report, do not write")
    args = parser.parse_args()
    gaz = Gazetteer.bundled()
    worlds = collect(gaz, random.Random(SEED))
    x, qid, ok, weight = design(worlds)
    w = fit(x, qid, ok, weight)
    data = {
        "about": "Fitted by tools/fit_calibration.py on bundle-derived queries; see there.",
        "entries": len(gaz),
        "queries": {k: len(v) for k, v in worlds.items()},
        "weights": {f: round(float(v), 4) for f, v in zip(_calibration.FEATURES, w, strict=True)},
        "thresholds": THRESHOLDS,
    }
    print(json.dumps(data["weights"], indent=1))
    print(f"{len(weight):,} queries with options, {len(ok):,} options")
    if not args.check:
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
