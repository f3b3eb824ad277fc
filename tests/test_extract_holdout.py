"""The held-out extraction set (tests/data/extract_holdout.jsonl) is well formed.

This checks the annotations only: schema, exact spans, canonical names, coverage. It
never runs the extractor, so the set cannot be tuned on through a failing test; the
extractor is measured on it with ``benchmarks/extract_dev.py --data`` (issue #14).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import afghangeo as ag

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extract_dev import load  # noqa: E402
from tools.build_extract_dev import build  # noqa: E402

DATA = ROOT / "tests" / "data" / "extract_holdout.jsonl"
SOURCE = ROOT / "tools" / "extract_holdout.txt"
DEV = ROOT / "tests" / "data" / "extract_dev.jsonl"

KINDS = {
    "next_sentence_figures", "compound_figures", "descriptive_figures", "combined_casualties",
    "vague_figures", "single_victim", "range_figures", "event_vs_report_date",
    "relative_date", "dateline", "title_possessive", "person_place_name", "non_containment",
    "province_context", "spelling_noise", "homonym", "foreign_place", "village",
    "displacement", "multi_incident", "no_incident",
}  # fmt: skip
FIGURES = ("killed", "killed_low", "killed_high", "wounded", "casualties", "displaced_families")
QUALIFIERS = ("killed_qualifier", "wounded_qualifier", "displaced_qualifier")
INCIDENT_KEYS = {"date", "place", "province", "district", *FIGURES, *QUALIFIERS}
PLACE_KEYS = {"start", "end", "text", "name", "province", "district", "foreign"}
# a sentence ends at . ! or ? (and a closing quote) before a space or the end, except
# after a title such as "Mr." or "Gen."
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bDr)(?<!\bGen)[.!?][\"”]?(?=\s|$)")


@pytest.fixture(scope="module")
def passages() -> list[dict]:
    return load(DATA)


def _iso(value: object) -> bool:
    try:
        return dt.date.fromisoformat(str(value)).isoformat() == value
    except ValueError:
        return False


def test_file_is_built_from_its_source(passages: list[dict]) -> None:
    assert build(SOURCE) == passages


def test_size_ids_and_dates(passages: list[dict]) -> None:
    assert len(passages) >= 130
    ids = [p["id"] for p in passages]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"hold-\d{3}", i) for i in ids), ids
    for p in passages:
        assert _iso(p["published"]) and "2008" <= p["published"][:4] <= "2021", p["id"]
        assert p["kinds"] and set(p["kinds"]) <= KINDS, p["id"]


@pytest.mark.parametrize(
    ("text", "n"),
    [("One. Two.", 2), ("Mr. Kabuli said so. He left.", 2), ('"We lost eleven," he said.', 1)],
)
def test_sentence_counter(text: str, n: int) -> None:
    assert len(_SENTENCE_END.findall(text)) == n


def test_two_to_six_sentences(passages: list[dict]) -> None:
    counts = {p["id"]: len(_SENTENCE_END.findall(p["text"])) for p in passages}
    assert {k: n for k, n in counts.items() if not 2 <= n <= 6} == {}


def test_spans_are_exact_and_disjoint(passages: list[dict]) -> None:
    for p in passages:
        for span in p["places"] + p.get("not_places", []):
            assert p["text"][span["start"] : span["end"]] == span["text"], (p["id"], span)
        spans = sorted((s["start"], s["end"]) for s in p["places"] + p.get("not_places", []))
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), p["id"]


def test_places_are_canonical(passages: list[dict]) -> None:
    provinces = set(ag.provinces()["name"])
    d = ag.districts()
    districts = set(zip(d["name"], d["province"], strict=True))
    for p in passages:
        for place in p["places"]:
            assert set(place) == PLACE_KEYS, (p["id"], place)
            if place["foreign"]:
                assert place["province"] is None and place["district"] is None, p["id"]
                continue
            assert place["name"] == (place["district"] or place["province"]), p["id"]
        for where in p["places"] + p["incidents"]:
            if where.get("foreign"):
                continue
            assert where["province"] in provinces, (p["id"], where)
            if where["district"] is not None:
                assert (where["district"], where["province"]) in districts, (p["id"], where)


def test_every_province_has_two_incidents(passages: list[dict]) -> None:
    counts = Counter(i["province"] for p in passages for i in p["incidents"])
    assert {k for k, n in counts.items() if n >= 2} == set(ag.provinces()["name"])


def test_every_kind_has_five_passages(passages: list[dict]) -> None:
    counts = Counter(k for p in passages for k in p["kinds"])
    assert {k: counts[k] for k in KINDS if counts[k] < 5} == {}


def test_incident_fields(passages: list[dict]) -> None:
    for p in passages:
        assert ("no_incident" in p["kinds"]) == (not p["incidents"]), p["id"]
        assert ("multi_incident" in p["kinds"]) == (len(p["incidents"]) > 1), p["id"]
        for inc in p["incidents"]:
            assert INCIDENT_KEYS <= set(inc) <= INCIDENT_KEYS | {"date_end"}, p["id"]
            assert _iso(inc["date"]) and inc["date"] <= p["published"], p["id"]
            if inc.get("date_end"):
                assert _iso(inc["date_end"]), p["id"]
                assert inc["date"] <= inc["date_end"] <= p["published"], p["id"]
            for f in FIGURES:
                v = inc[f]
                assert v is None or (isinstance(v, int) and v >= 0), (p["id"], f)
            for f in QUALIFIERS:
                assert inc[f] is None or isinstance(inc[f], str), (p["id"], f)
            if inc["killed_low"] is not None or inc["killed_high"] is not None:
                assert inc["killed"] is None, p["id"]
                assert inc["killed_low"] <= inc["killed_high"], p["id"]
            if inc["casualties"] is not None:
                assert inc["killed"] is None and inc["wounded"] is None, p["id"]


def test_incident_places_are_named_in_the_text(passages: list[dict]) -> None:
    for p in passages:
        named = {(g["province"], g["district"]) for g in p["places"] if not g["foreign"]}
        for inc in p["incidents"]:
            assert inc["place"] in p["text"], (p["id"], inc["place"])
            assert (inc["province"], inc["district"]) in named, (p["id"], inc["place"])


def test_no_sentence_is_shared_with_the_dev_set(passages: list[dict]) -> None:
    def sentences(text: str) -> set[str]:
        return {s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 30}

    with DEV.open(encoding="utf-8") as f:
        dev = set().union(*(sentences(json.loads(line)["text"]) for line in f))
    shared = {p["id"]: sentences(p["text"]) & dev for p in passages}
    assert {k: v for k, v in shared.items() if v} == {}
