"""Time of extract_places / extract_incidents on large inputs of the shapes that made the
0.1 extractor quadratic (reliability review F06): runs of dots, one word repeated, the
same two places over and over, hostile characters, digits, and real-looking articles.

Every shape should take time proportional to its size (≤ 10 s for 1–5 MB).
Usage: python benchmarks/text_scale.py [MB ...]      (default: 1 5)
       python benchmarks/text_scale.py --quick       (0.1 MB: a smoke run)
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import afghangeo as ag

REPORTS = sorted((Path(__file__).resolve().parents[1] / "examples" / "reports").glob("*.txt"))
PUBLISHED = "2020-10-12"


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


_SALAD = (
    "Kabul Lashkar Gah Nawa Mr. Afghan killed at least 13 the of in , . — Province Doha "
    "Helmand late Thursday since Friday no casualties wounded 1,500 families displaced near "
    "suburbs of Babaji district 10^400 9999999999999999 A B C\n\n"
).split(" ")


def _random_chars(size: int) -> str:
    rng = random.Random(1)
    return "".join(chr(rng.randrange(32, 0x3000)) for _ in range(size))


def _word_salad(size: int) -> str:
    rng = random.Random(1)
    return " ".join(rng.choice(_SALAD) for _ in range(size // 4))[:size]


def _articles(size: int) -> str:
    reports = "\n\n".join(p.read_text(encoding="utf-8") for p in REPORTS)
    return _repeat(reports + "\n\n", size)


SHAPES: dict[str, Callable[[int], str]] = {
    "dots": lambda n: "." * n,
    "one word": lambda n: _repeat("Kabul ", n),
    "lower word": lambda n: _repeat("killed ", n),
    "same places": lambda n: _repeat("In Lashkar Gah, fighters attacked Nawa. ", n),
    "hostile chars": lambda n: _repeat("Kabul\x00\U0001f4a5\u202e\u0301 ", n),
    "digits": lambda n: "Taliban attacked Kabul, killing " + "9" * n + " people.",
    "weekdays": lambda n: _repeat("Monday ", n),
    "suburbs": lambda n: _repeat("They pushed for Lashkar Gah and the suburbs of Babaji. ", n),
    "one long word": lambda n: "K" * n,
    "random chars": _random_chars,
    "word salad": _word_salad,
    "articles": _articles,
}


def _time(func: Callable[[], object]) -> float:
    """CPU seconds of one call (steadier than wall time on a shared machine)."""
    start = time.process_time()
    func()
    return time.process_time() - start


def main() -> None:
    args = sys.argv[1:]
    sizes = [0.1] if args == ["--quick"] else [float(a) for a in args] or [1.0, 5.0]
    ag.extract_places("A bomb exploded in Lashkar Gah.")  # warm the gazetteer
    print(f"{'CPU seconds':14} {'MB':>5} {'extract_places':>15} {'extract_incidents':>18}")
    for mb in sizes:
        n = int(mb * 1_000_000)
        for name, make in SHAPES.items():
            text = make(n)
            t_places = _time(lambda: ag.extract_places(text))  # noqa: B023
            t_incidents = _time(lambda: ag.extract_incidents(text, published=PUBLISHED))  # noqa: B023
            print(f"{name:14} {mb:5.1f} {t_places:14.2f}s {t_incidents:17.2f}s", flush=True)


if __name__ == "__main__":
    main()
