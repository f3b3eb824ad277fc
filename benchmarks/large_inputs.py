"""Time and memory of the public functions on 1 MB and 10 MB inputs (issue #13, item 3).

The shapes are the reliability audit's: one repeated word, capitalised words, Dari
script, dots, and a mix of hostile characters. Goal: ≤ 5 s at 10 MB for the name
functions (geocode, normalize_*, name_key, geocode_many). The text extractor's own
figures (1 MB, 5 MB) are in ``benchmarks/text_scale.py``.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import afghangeo as ag  # noqa: E402

SHAPES = {
    "one word": "Kabul ",
    "capitalised": "Lashkar Gah Nawa Babaji ",
    "Dari": "لشکرگاه هلمند ",
    "dots": ".",
    "hostile": "Kab\x00💥\u202e\u0301ul ",
}
FUNCTIONS = {
    "geocode": lambda s: ag.geocode(s),
    "normalize_province": lambda s: _quiet(ag.normalize_province, s),
    "normalize_district": lambda s: _quiet(ag.normalize_district, s),
    "normalize_provinces": lambda s: ag.normalize_provinces([s]),
    "name_key": lambda s: ag.name_key(s),
    "geocode_many": lambda s: ag.geocode_many([s]),
}


def _quiet(function, text):  # type: ignore[no-untyped-def]
    try:
        return function(text)
    except ag.AfghangeoError:
        return None


def main() -> None:
    ag.geocode("Kabul")
    worst = 0.0
    for size in (1_000_000, 10_000_000):
        for shape, unit in SHAPES.items():
            text = (unit * (size // len(unit) + 1))[:size]
            for name, function in FUNCTIONS.items():
                start = time.perf_counter()
                function(text)
                took = time.perf_counter() - start
                worst = max(worst, took) if size == 10_000_000 else worst
                print(f"{size / 1e6:>4.0f} MB  {shape:12} {name:20} {took:7.3f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"slowest call at 10 MB: {worst:.2f} s (goal 5 s); peak RSS {rss:,.0f} MB")


if __name__ == "__main__":
    main()
