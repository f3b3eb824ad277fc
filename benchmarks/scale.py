"""Tables larger than memory: read_incidents + count_by_province on partitioned Parquet.

Writes a synthetic ACLED-like dataset of N rows (default 20,000,000) to a temporary
folder, one Parquet file per partition, generated chunk by chunk with
``examples/make_synthetic.py`` (a different seed per chunk; about 40 % of rows with
coordinates, 15 % known only to their province, 5 % bad, the rest place names to
geocode), so the whole table is never in memory. Then, each in its own subprocess so
that the peak RSS is that run's own:

(a) for each size in ``--in-memory`` (default N/10), on the first files holding it:
    the dask path and the in-memory (pandas) path, checking that both give the same
    count table;
(b) the dask path on all N rows (unless (a) covered them): ``dd.read_parquet`` ->
    ``ag.read_incidents`` (lazy) -> ``ag.count_by_province(freq="M")`` with the
    fatality weight, threads scheduler.

Prints wall time (the work, without interpreter start-up and imports), rows per
second and peak RSS (VmHWM) for each, and checks that the dask counts add up to N and
that the fatality sums and missing counts equal those written. The figures in
docs/guide/scale.md come from ``--in-memory 2000000,20000000`` (about 15 GB for pandas).

Usage: python benchmarks/scale.py [--rows N] [--partitions P] [--in-memory N1,N2]
                                  [--workers W] [--keep DIR]

Run it with ``nice``: at 20 M rows it takes several minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "examples"))
ROWS_PER_PARTITION = 500_000
GOAL_MB = 2048


def parquet_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Typed columns, as a Parquet export has them (coordinates as floats)."""
    table = table.copy()
    for column in ("latitude", "longitude"):
        table[column] = pd.to_numeric(table[column], errors="coerce")  # "n/a" -> NaN
    table["geo_precision"] = table["geo_precision"].astype("int8")
    return table


def write_dataset(folder: Path, rows: int, partitions: int, *, seed: int = 0) -> dict[str, Any]:
    """`rows` synthetic incidents in `partitions` Parquet files; what was written."""
    from make_synthetic import synthetic_incidents

    folder.mkdir(parents=True, exist_ok=True)
    sizes = np.diff(np.linspace(0, rows, partitions + 1).astype(np.int64))
    written: dict[str, Any] = {"rows": [], "fatalities": 0.0, "missing": 0}
    for i, size in enumerate(sizes):
        chunk = parquet_ready(synthetic_incidents(int(size), seed=seed + i, layout="acled"))
        chunk.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
        written["rows"].append(int(size))
        written["fatalities"] += float(chunk["fatalities"].sum())
        written["missing"] += int(chunk["fatalities"].isna().sum())
    return written


def _peak_mb() -> float:
    """This process's peak RSS in MiB.

    VmHWM from /proc, which is this program's own: ru_maxrss carries the parent's
    peak over fork and exec, so a child of a big parent would report the parent's.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(mode: str, folder: Path, files: int, workers: int) -> None:
    """One measured run; prints a JSON line with its figures."""
    import afghangeo as ag
    from afghangeo.counts import UNLOCATED

    ag.read_incidents(pd.DataFrame({"place": ["Herat"]}))  # boundaries and index loaded
    base = _peak_mb()
    paths = [str(p) for p in sorted(folder.glob("*.parquet"))[: files or None]]
    start = time.perf_counter()
    if mode == "dask":
        import dask
        import dask.dataframe as dd

        with dask.config.set(scheduler="threads", num_workers=workers):
            ddf = dd.read_parquet(paths)
            lazy = ag.read_incidents(ddf)
            counts = ag.count_by_province(lazy, freq="M")
        partitions = ddf.npartitions
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(paths).to_pandas()
        counts = ag.count_by_province(ag.read_incidents(table, progress=False), freq="M")
        partitions = 1
    seconds = time.perf_counter() - start
    figures = {
        "mode": mode,
        "partitions": partitions,
        "seconds": seconds,
        "rows": int(counts["count"].sum()),
        "fatalities": float(counts["fatalities"].sum()),
        "missing": int(counts["fatalities_missing"].sum()),
        "unlocated": int(counts.loc[counts["province"] == UNLOCATED, "count"].sum()),
        "digest": int(pd.util.hash_pandas_object(counts, index=False).sum()),
        "base_mb": base,
        "peak_mb": _peak_mb(),
    }
    print(json.dumps(figures))


def measure(mode: str, folder: Path, *, files: int = 0, workers: int = 2) -> dict[str, Any]:
    """Run `child` in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--child", mode, "--data", str(folder)]
    command += ["--files", str(files), "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {mode} run failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(label: str, figures: dict[str, Any]) -> None:
    rate = figures["rows"] / figures["seconds"]
    print(
        f"  {label:<34} {figures['rows']:>12,} rows  {figures['seconds']:8.1f} s  "
        f"{rate:>9,.0f} rows/s  peak RSS {figures['peak_mb']:7,.0f} MB "
        f"(after imports {figures['base_mb']:,.0f} MB)",
        flush=True,
    )


def check(figures: dict[str, Any], rows: int, written: dict[str, Any]) -> list[str]:
    """What does not add up in the dask run's counts (nothing, one hopes)."""
    problems = []
    if figures["rows"] != rows:
        problems.append(f"counts add up to {figures['rows']:,}, not {rows:,}")
    if not np.isclose(figures["fatalities"], written["fatalities"], rtol=1e-9):
        problems.append(f"fatalities {figures['fatalities']} != {written['fatalities']}")
    if figures["missing"] != written["missing"]:
        problems.append(f"missing fatalities {figures['missing']} != {written['missing']}")
    return problems


def compare(folder: Path, files: int, rows: int, *, workers: int) -> dict[str, Any]:
    """Both paths on the first `files` files: figures, and whether the counts agree."""
    lazy = measure("dask", folder, files=files, workers=workers)
    report(f"dask, {files} partitions, {workers} threads", lazy)
    eager = measure("memory", folder, files=files)
    report(f"in memory (pandas), {files} files", eager)
    same = lazy["digest"] == eager["digest"] and lazy["rows"] == eager["rows"] == rows
    print(f"  both add up to {rows:,} and the count tables are identical: {same}", flush=True)
    return lazy


def sizes_in_files(sizes: list[int], rows: list[int]) -> list[tuple[int, int]]:
    """(files, rows) of the first files that hold at least each of `sizes` rows."""
    totals = np.cumsum(rows)
    out = []
    for size in sizes:
        files = min(int(np.searchsorted(totals, size)) + 1, len(rows))
        out.append((files, int(totals[files - 1])))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--partitions", type=int, help="default: one per 500,000 rows")
    parser.add_argument("--in-memory", help="comma-separated row counts (default N/10)")
    parser.add_argument("--workers", type=int, default=2, help="dask threads")
    parser.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    parser.add_argument("--child", choices=["dask", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--files", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.data, args.files, args.workers)
        return 0
    partitions = args.partitions or max(1, -(-args.rows // ROWS_PER_PARTITION))
    in_memory = [args.rows // 10] if args.in_memory is None else args.in_memory.split(",")
    with tempfile.TemporaryDirectory(prefix="afghangeo-scale-") as tmp:
        folder = args.keep or Path(tmp) / "incidents"
        start = time.perf_counter()
        written = write_dataset(folder, args.rows, partitions)
        size_mb = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20
        print(
            f"wrote {args.rows:,} synthetic incidents in {partitions} Parquet files "
            f"({size_mb:,.0f} MB) in {time.perf_counter() - start:.0f} s; generator peak "
            f"RSS {_peak_mb():,.0f} MB",
            flush=True,
        )
        print("read_incidents + count_by_province(freq='M', weight=fatalities):", flush=True)
        lazy: dict[str, Any] = {}
        for files, rows in sizes_in_files([int(s) for s in in_memory if s], written["rows"]):
            lazy = compare(folder, files, rows, workers=args.workers)
        if lazy.get("rows") != args.rows:  # the whole table, if no comparison covered it
            lazy = measure("dask", folder, workers=args.workers)
            report(f"dask, all {lazy['partitions']} partitions, {args.workers} threads", lazy)
    problems = check(lazy, args.rows, written)
    verdict = "under" if lazy["peak_mb"] < GOAL_MB else "OVER"
    print(f"dask counts add up to {args.rows:,} with the fatalities written: {not problems}")
    print(f"dask peak RSS {lazy['peak_mb']:,.0f} MB: {verdict} the {GOAL_MB:,} MB goal")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
