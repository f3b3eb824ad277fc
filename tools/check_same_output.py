"""Check that extract_incidents and extract_places give exactly the same output as another
checkout (by default /work/main) on ~500 varied texts: the generated benchmark articles,
every passage of the dev and held-out sets, the example reports (and the seed articles when
../shared is beside the checkout), and hostile texts.

Usage: PYTHONPATH=$PWD python tools/check_same_output.py [--other /work/main]
(the other checkout's outputs are computed in a subprocess with its own PYTHONPATH;
with ``--against FILE``, read from a file that ``--dump FILE`` wrote there once).
Run it with the package not installed in editable mode, or both sides import the same code.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[tuple[str, Any]]:
    """(text, published) pairs."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from extract import articles

    out: list[tuple[str, Any]] = []
    gen, _ = articles(300, seed=11)
    out += [(t, "2020-10-12") for t in gen[:150]]
    out += [(t, None) for t in gen[150:]]
    for name in ("extract_dev.jsonl", "extract_holdout.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["text"], row.get("published")))
                out.append((row["text"], None))
    real = sorted((ROOT / "examples" / "reports").glob("*.txt"))
    real += sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))  # when present
    out += [(p.read_text(encoding="utf-8"), None) for p in real]
    rng = random.Random(3)
    big = " ".join(gen[:40])
    hostile = [
        "",
        " ",
        "\n\n\n",
        "<html><body><p>Ten people were killed in <b>Kabul</b> on Monday.</p></body></html>",
        "Five killed in Kandahar \ud800 and \udfff twelve wounded in Herat.",
        big[:200_000],
        "1 2 3 4 5 killed wounded displaced 10,000 families 2019-01-01 Kabul Kabul Kabul",
        "KILLED IN HELMAND: THIRTY-TWO SOLDIERS, 14 WOUNDED, ON 3 MARCH 2019.",
        "".join(rng.choice("abc Kabul 12 killed .,;\n") for _ in range(5000)),
        "Mr. Kabul said Herat's governor and Ms. Helmand met in Paris, France.",
    ]
    out += [(t, "2019-05-05") for t in hostile] + [(t, None) for t in hostile]
    return out


def dump(path: str) -> None:
    import afghangeo as ag

    results: list[Any] = []
    for text, published in texts():
        try:
            frame = ag.extract_incidents(text, published=published)
            places = ag.extract_places(text)
            results.append((frame, dict(frame.attrs), repr(list(places)), None))
        except Exception as exc:  # the error itself is compared
            results.append((None, None, None, f"{type(exc).__name__}: {exc}"))
    with open(path, "wb") as fh:
        pickle.dump(results, fh)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", default="/work/main")
    parser.add_argument("--dump", help="write this checkout's outputs to a file and stop")
    parser.add_argument("--against", help="compare with outputs written by --dump")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
        return
    import pandas.testing as pdt

    with tempfile.TemporaryDirectory() as tmp:
        mine, theirs = f"{tmp}/mine.pkl", args.against or f"{tmp}/theirs.pkl"
        runs = [(mine, str(ROOT))] + ([] if args.against else [(theirs, args.other)])
        for path, pythonpath in runs:
            env = {**os.environ, "PYTHONPATH": pythonpath}
            subprocess.run(
                [sys.executable, __file__, "--dump", path], env=env, check=True, cwd=ROOT
            )
        with open(mine, "rb") as fh:
            a = pickle.load(fh)
        with open(theirs, "rb") as fh:
            b = pickle.load(fh)
    assert len(a) == len(b), (len(a), len(b))
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert x[3] == y[3], (i, x[3], y[3])
        if x[0] is not None:
            pdt.assert_frame_equal(x[0], y[0], check_exact=True)
            assert x[1] == y[1], (i, x[1], y[1])
            assert x[2] == y[2], (i, "places differ")
    print(f"identical output on {len(a)} texts")


if __name__ == "__main__":
    main()
