"""Score extract_places and extract_incidents on the hand-annotated development set.

tests/data/extract_dev.jsonl holds short passages written in the style of wire and UN
reports, with the places and incidents a careful reader takes from them (rules in
tests/data/EXTRACT_DEV.md). Only the public functions are called, so the figures stay
comparable while the extractor's internals change.

Usage (from the repository root): python benchmarks/extract_dev.py [--json] [--data PATH]
(--data tests/data/extract_holdout.jsonl scores the held-out set, which nobody tunes on).

Places: a predicted Afghan mention is right when its span overlaps a gold Afghan place
and its province agrees; a gold Afghan place is found when such a mention exists.
People or organisations taken for places and foreign places given a province are
counted apart. Incidents: each gold incident is matched to an unused predicted row of
the same province whose district (or, failing that, place name) agrees, a gold
incident at province level matching a row with no district. Facts are then scored on
the matched pairs: date (and the last day when gold gives a range), killed, wounded and
displaced families, combined casualties and the bounds of a range of deaths, exact values
with None == None; a gold range counts as its lower bound for killed (the table's
killed is the lower bound of a range, killed_low/killed_high hold both).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import afghangeo as ag  # noqa: E402

DATA = ROOT / "tests" / "data" / "extract_dev.jsonl"
FACTS = (
    "date", "killed", "killed_qualifier", "wounded", "displaced_families", "casualties",
    "killed_low", "killed_high",
)  # fmt: skip


def load(path: Path = DATA) -> list[dict[str, Any]]:
    """The passages of the development set."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _fold(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name or ""))
    return "".join(c for c in text.casefold() if c.isalnum())


def _value(x: object) -> Any:
    """None for pandas' missing values, dates as ISO strings, numpy scalars as Python."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    if isinstance(x, pd.Timestamp):
        return x.date().isoformat()
    return x.item() if hasattr(x, "item") else x


def _overlaps(a: dict[str, Any], start: int, end: int) -> bool:
    return a["start"] < end and start < a["end"]


def predict(passage: dict[str, Any]) -> dict[str, Any]:
    """Mentions and incident rows for one passage, or the exception it raised."""
    try:
        mentions = [
            {"start": m.start, "end": m.end, "text": m.text, "province": m.province,
             "district": m.district, "foreign": bool(m.foreign)}
            for m in ag.extract_places(passage["text"])
        ]  # fmt: skip
        table = ag.extract_incidents(passage["text"], published=passage["published"])
        rows = [{k: _value(v) for k, v in row.items()} for row in table.to_dict("records")]
    except Exception as exc:  # a failing passage is counted, not fatal
        return {"mentions": [], "rows": [], "error": f"{type(exc).__name__}: {exc}"}
    return {"mentions": mentions, "rows": rows, "error": None}


def _incidents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their incident's figures (the table puts them on its first row only)."""
    first: dict[Any, dict[str, Any]] = {}
    for r in rows:
        first.setdefault(r["incident"], r)
    figs = (*FACTS[1:], "wounded_qualifier")
    return [{**r, **{k: first[r["incident"]].get(k) for k in figs}} for r in rows]


def _agrees(gold: dict[str, Any], row: dict[str, Any]) -> int:
    """How well a predicted row locates a gold incident: 2 district, 1 name, 0 not."""
    if row.get("province") != gold["province"]:
        return 0
    if gold["district"] is not None and row.get("district") == gold["district"]:
        return 2
    if _fold(row.get("place")) == _fold(gold["place"]):
        return 1
    if gold["district"] is None and row.get("district") is None:
        return 1
    return 0


def _expected(gold: dict[str, Any], what: str) -> Any:
    if what == "killed" and gold["killed"] is None and gold.get("killed_low") is not None:
        return gold["killed_low"]
    return gold.get(what)


def score_passage(passage: dict[str, Any], pred: dict[str, Any]) -> dict[str, int]:
    """Counts for one passage; `summarise` turns sums of them into rates."""
    c: dict[str, int] = dict.fromkeys(
        "pred_afghan correct gold_afghan found gold_foreign foreign_found people_as_places "
        "foreign_given_province gold_incidents matched pred_incidents pred_unmatched "
        "province_set_right exceptions passages".split(),
        0,
    )
    for f in FACTS:
        c[f"{f}_right"] = 0
    c["passages"] = 1
    c["exceptions"] = int(pred["error"] is not None)
    gold_af = [g for g in passage["places"] if not g["foreign"]]
    gold_fo = [g for g in passage["places"] if g["foreign"]]
    mentions = pred["mentions"]
    for m in mentions:
        if m["foreign"]:
            continue
        c["pred_afghan"] += 1
        hits = [g for g in gold_af if _overlaps(g, m["start"], m["end"])]
        c["correct"] += any(g["province"] == m["province"] for g in hits)
        people = passage.get("not_places", [])
        c["people_as_places"] += any(_overlaps(n, m["start"], m["end"]) for n in people)
        c["foreign_given_province"] += m["province"] is not None and any(
            _overlaps(g, m["start"], m["end"]) for g in gold_fo
        )
    for g in gold_af:
        c["gold_afghan"] += 1
        c["found"] += any(
            not m["foreign"] and m["province"] == g["province"]
            and _overlaps(g, m["start"], m["end"])
            for m in mentions
        )  # fmt: skip
    for g in gold_fo:
        c["gold_foreign"] += 1
        c["foreign_found"] += any(
            m["foreign"] and _overlaps(g, m["start"], m["end"]) for m in mentions
        )
    rows = _incidents(pred["rows"])
    gold_provinces = {g["province"] for g in passage["incidents"]}
    pred_provinces = {r["province"] for r in rows if r.get("province")}
    c["province_set_right"] = int(gold_provinces == pred_provinces)
    used: set[int] = set()
    matched_incidents: set[Any] = set()
    for g in passage["incidents"]:
        c["gold_incidents"] += 1
        options = [(_agrees(g, r), -i) for i, r in enumerate(rows) if i not in used]
        best = max((o for o in options if o[0] > 0), default=None)
        if best is None:
            continue
        i = -best[1]
        used.add(i)
        r = rows[i]
        matched_incidents.add(r["incident"])
        c["matched"] += 1
        date_right = r.get("date") == g["date"]
        if g.get("date_end"):
            date_right = date_right and r.get("date_end") == g["date_end"]
        c["date_right"] += date_right
        for f in FACTS[1:]:
            c[f"{f}_right"] += r.get(f) == _expected(g, f)
    incidents = {r["incident"] for r in rows}
    c["pred_incidents"] = len(incidents)
    c["pred_unmatched"] = len(incidents - matched_incidents)
    return c


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def summarise(counts: Iterable[dict[str, int]]) -> dict[str, Any]:
    """Rates from the summed per-passage counts."""
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    p = _rate(total["correct"], total["pred_afghan"])
    r = _rate(total["found"], total["gold_afghan"])
    f1 = round(2 * p * r / (p + r), 4) if p and r else 0.0
    out: dict[str, Any] = {
        "passages": total["passages"],
        "place_precision": p,
        "place_recall": r,
        "place_f1": f1,
        "foreign_recall": _rate(total["foreign_found"], total["gold_foreign"]),
        "people_as_places": total["people_as_places"],
        "foreign_given_province": total["foreign_given_province"],
        "province_set_accuracy": _rate(total["province_set_right"], total["passages"]),
        "gold_incidents": total["gold_incidents"],
        "incident_match_rate": _rate(total["matched"], total["gold_incidents"]),
        "predicted_incidents": total["pred_incidents"],
        "predicted_unmatched": total["pred_unmatched"],
    }
    for f in FACTS:
        out[f"{f}_accuracy"] = _rate(total[f"{f}_right"], total["matched"])
    out["exceptions"] = total["exceptions"]
    return out


def score(passages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run the extractor on every passage; overall figures, by kind, errors and speed."""
    passages = load() if passages is None else passages
    start = time.perf_counter()
    preds = [predict(p) for p in passages]
    elapsed = time.perf_counter() - start
    counts = [score_passage(p, q) for p, q in zip(passages, preds, strict=True)]
    kinds = sorted({k for p in passages for k in p["kinds"]})
    by_kind = {
        kind: summarise(c for p, c in zip(passages, counts, strict=True) if kind in p["kinds"])
        for kind in kinds
    }
    result = summarise(counts)
    result["passages_per_second"] = round(len(passages) / elapsed, 1) if elapsed else None
    result["errors"] = {
        p["id"]: q["error"] for p, q in zip(passages, preds, strict=True) if q["error"]
    }
    result["by_kind"] = by_kind
    return result


def _fmt(x: object) -> str:
    if x is None:
        return "  -  "
    if isinstance(x, float):
        return f"{x:5.1%}" if x < 1 else "100% "
    return str(x)


def report(result: dict[str, Any]) -> str:
    """The figures as text."""
    r = result
    lines = [
        f"{r['passages']} passages, {r['gold_incidents']} gold incidents; "
        f"{r['passages_per_second']} passages/s; exceptions: {r['exceptions']}",
        f"Afghan places    precision {_fmt(r['place_precision'])}  recall "
        f"{_fmt(r['place_recall'])}  F1 {_fmt(r['place_f1'])}",
        f"foreign places   recall {_fmt(r['foreign_recall'])}; given an Afghan province: "
        f"{r['foreign_given_province']}; people/organisations taken for places: "
        f"{r['people_as_places']}",
        f"province set     right in {_fmt(r['province_set_accuracy'])} of passages",
        f"incidents        matched {_fmt(r['incident_match_rate'])} of gold; predicted "
        f"{r['predicted_incidents']}, of which unmatched {r['predicted_unmatched']}",
        "facts (matched)  " + "  ".join(f"{f} {_fmt(r[f + '_accuracy'])}" for f in FACTS),
        "",
        f"{'kind':24} {'n':>3} {'place F1':>8} {'prov set':>8} {'matched':>8} "
        f"{'date':>6} {'killed':>6} {'wounded':>7} {'displ.':>6}",
    ]
    for kind, k in r["by_kind"].items():
        lines.append(
            f"{kind:24} {k['passages']:>3} {_fmt(k['place_f1']):>8} "
            f"{_fmt(k['province_set_accuracy']):>8} {_fmt(k['incident_match_rate']):>8} "
            f"{_fmt(k['date_accuracy']):>6} {_fmt(k['killed_accuracy']):>6} "
            f"{_fmt(k['wounded_accuracy']):>7} {_fmt(k['displaced_families_accuracy']):>6}"
        )
    for pid, err in r["errors"].items():
        lines.append(f"exception in {pid}: {err}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--data", type=Path, default=DATA, help="JSON Lines of annotated passages to score"
    )
    args = parser.parse_args(argv)
    result = score(load(args.data))
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
