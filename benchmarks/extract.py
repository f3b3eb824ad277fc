"""extract_places on ~1,000-word news-like articles: articles per second, recall, and the
ratio against a naive extractor that runs one regular expression per gazetteer spelling;
extract_incidents per article, and extract_corpus over all of them against the loop a
user would write (extract_incidents per article, then one pd.concat), in CPU time.

The articles are generated: filler sentences in the register of wire reports, with
place names from the bundled gazetteer planted in attack sentences (three sentences in
ten: far denser than real reporting), plus people, organisations and foreign places
that must not come out as Afghan places. Their filler sentences recur, so the memos of
sentences help more than in a real corpus; the "every sentence new" figures clear
those memos before each article (the memos of names, words and places stay, as they
would in a corpus). The two real ~1,150-word articles of ../shared/seeds are timed
the same way when present.
Usage: python benchmarks/extract.py [n_articles]
"""

from __future__ import annotations

import importlib
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from _timing import best_of  # benchmarks/_timing.py (scripts run from benchmarks/)

import afghangeo as ag
from afghangeo.corpus import extract_corpus
from afghangeo.gazetteer import Gazetteer

FILLER = [
    "Officials said the situation remained tense as talks with the government stalled.",
    "The spokesman for the Defense Ministry said forces had responded to the threat.",
    "Mr. Afghan, the head of the provincial council, said the police were outnumbered.",
    "Peace talks in Doha, Qatar, have been slow, and Washington has urged restraint.",
    "Ashraf Ghani called for a cease-fire at the start of Ramadan on Thursday.",
    "Doctors Without Borders said its hospital was receiving wounded civilians.",
    "The United States is drawing down to about 4,500 troops this year.",
    "Afghan forces have struggled with ghost soldiers on the payroll for years.",
    "Zalmay Khalilzad met Taliban negotiators last month to discuss prisoner releases.",
    "Families have been repeatedly forced to relocate, aid workers said on Monday.",
    "The insurgents carried out about 50 attacks per day across the country.",
    "Gen. Austin S. Miller said the offensive undermined the Afghan Peace Talks.",
]
EVENT = [
    "Taliban fighters attacked checkpoints in {a} late Thursday, killing at least {n} police.",
    "A roadside bomb exploded in {a} on Sunday, officials said.",
    "Clashes in {a} and {b} left {n} dead and {m} wounded.",
    "Insurgents overran an outpost near {a}, the police chief of {b} Province said.",
    "Fighting in {a} has displaced about {n} families.",
]


def articles(n: int, seed: int = 7) -> tuple[list[str], list[set[tuple[str, str]]]]:
    """`n` articles and, for each, the (name as written, province) pairs planted in it."""
    rng = random.Random(seed)
    gaz = Gazetteer.bundled().entries
    towns = gaz[gaz["kind"].isin(["capital", "town"])]
    town_list = list(zip(towns["name"], towns["province"], strict=True))
    provinces = gaz[gaz["kind"] == "province"]["name"].tolist()
    texts: list[str] = []
    planted: list[set[tuple[str, str]]] = []
    for _ in range(n):
        words = 0
        parts: list[str] = []
        names: set[tuple[str, str]] = set()
        while words < 1000:
            if rng.random() < 0.3:
                (a, a_prov), b = rng.choice(town_list), rng.choice(provinces)
                template = rng.choice(EVENT)
                s = template.format(a=a, b=b, n=rng.randint(2, 40), m=rng.randint(1, 30))
                names.add((a, a_prov))
                if "{b}" in template:
                    names.add((b, b))
            else:
                s = rng.choice(FILLER)
            parts.append(s)
            words += len(s.split())
        texts.append("\n\n".join(" ".join(parts[i : i + 4]) for i in range(0, len(parts), 4)))
        planted.append(names)
    return texts, planted


PUBLISHED = "2020-10-12"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
# the memos keyed by a sentence's text (module, name); a corpus rarely repeats a sentence
SENTENCE_MEMOS = [
    ("context", "_is_event"), ("grouping", "_national"), ("dates", "_dates_of"),
    ("figures", "_figures_of"), ("figures", "may_hold_figures"),
]  # fmt: skip


def forget_sentences() -> None:
    """Clear the memos of sentences, so that every sentence is read as new."""
    for module, name in SENTENCE_MEMOS:
        memo = getattr(importlib.import_module(f"afghangeo._text.{module}"), name, None)
        if memo is not None:
            memo.cache_clear()
    importlib.import_module("afghangeo._text.caseless").lowered.clear()


def cold_rate(texts: list[str], repeat: int = 3) -> float:
    """Articles per CPU second of extract_incidents, every sentence new (best of `repeat`)."""
    best = float("inf")
    for _ in range(repeat):
        spent = 0.0
        for t in texts:
            forget_sentences()
            start = time.process_time()
            ag.extract_incidents(t, published=PUBLISHED)
            spent += time.process_time() - start
        best = min(best, spent)
    return len(texts) / best


def cold_corpus_rate(texts: list[str]) -> float:
    """Articles per CPU second of extract_corpus, every sentence new."""
    spent = 0.0
    for k in range(0, len(texts), 10):
        forget_sentences()
        start = time.process_time()
        extract_corpus(texts[k : k + 10], default_published=PUBLISHED)
        spent += time.process_time() - start
    return len(texts) / spent


def _cpu(func: Callable[[], object]) -> float:
    """CPU seconds of the best of two calls (steadier than wall time on a shared machine)."""
    return _cpu_interleaved({"f": func}, repeat=2)["f"]


def _cpu_interleaved(funcs: dict[str, Callable[[], object]], repeat: int = 3) -> dict[str, float]:
    """Best CPU seconds of each function, called in turn `repeat` times (so that a busy
    spell of a shared machine does not fall on one of them only)."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(repeat):
        for name, func in funcs.items():
            start = time.process_time()
            func()
            best[name] = min(best[name], time.process_time() - start)
    return best


def naive_extractor() -> list[tuple[re.Pattern[str], str]]:
    """One compiled regular expression per Latin-script spelling of every entry."""
    gaz = Gazetteer.bundled().entries
    out = []
    for name, others in zip(gaz["name"], gaz["names"], strict=True):
        for spelling in {name, *filter(None, others.split("|"))}:
            if spelling.isascii() and len(spelling) > 2:
                out.append((re.compile(rf"\b{re.escape(spelling)}\b"), name))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    texts, planted = articles(n)
    words = sum(len(t.split()) for t in texts) / n
    ag.extract_places(texts[0])  # warm the gazetteer and caches

    t_ours, found = best_of(lambda: [ag.extract_places(t) for t in texts])
    cpu_places = _cpu(lambda: [ag.extract_places(t) for t in texts])

    def each() -> list[pd.DataFrame]:
        return [ag.extract_incidents(t, published=PUBLISHED) for t in texts]

    cpu = _cpu_interleaved(
        {
            "incidents": each,
            "loop": lambda: pd.concat(each()),
            "corpus": lambda: extract_corpus(texts, default_published=PUBLISHED),
        }
    )
    cpu_incidents, cpu_loop, cpu_corpus = cpu["incidents"], cpu["loop"], cpu["corpus"]
    # the calls above see each article again: the memos of sentences and place names are
    # warm. Articles never seen before, every sentence new, are the other end.
    fresh, _ = articles(n, seed=8)
    rate_cold = cold_rate(fresh, repeat=1)
    rate_cold_corpus = cold_corpus_rate(fresh)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rate_seeds = cold_rate(seeds * 5) if seeds else None
    patterns = naive_extractor()
    sample = texts[: max(10, n // 10)]
    t_naive, _ = best_of(
        lambda: [{name for rx, name in patterns if rx.search(t)} for t in sample], repeat=1
    )
    ours_rate = n / t_ours
    naive_rate = len(sample) / t_naive

    hits = total = false = 0
    for mentions, names in zip(found, planted, strict=True):
        got = [(m.text.removesuffix(" Province"), m.province) for m in mentions if not m.foreign]
        # found: a mention in the right province whose words are within the planted name
        # ("Sayyidābād" in "Markaz-e Sayyidābād": the generic "Markaz-e" is left out)
        hits += sum(any(t in name and p == prov for t, p in got) for name, prov in names)
        total += len(names)
        false += sum(
            not any(t.removesuffix(" Province") in name for name, _ in names) for t, _ in got
        )
    print(f"{n} generated articles of ~{words:.0f} words; {len(patterns):,} naive patterns")
    print(f"extract_places: {ours_rate:8.1f} articles/s ({t_ours / n * 1000:.2f} ms each)")
    print(f"  (CPU time)  : {n / cpu_places:8.1f} articles/s")
    print(
        f"extract_incidents (CPU time): {n / cpu_incidents:8.1f} articles/s "
        f"({cpu_places / cpu_incidents:.2f}x the rate of extract_places)"
    )
    print(f"  articles not seen before, every sentence new: {rate_cold:8.1f} articles/s")
    if rate_seeds is not None:
        words_seeds = sum(len(t.split()) for t in seeds) / len(seeds)
        print(
            f"  real articles ({len(seeds)} of ~{words_seeds:.0f} words, ../shared/seeds), "
            f"every sentence new: {rate_seeds:8.1f} articles/s"
        )
    print(
        f"extract_corpus    (CPU time): {n / cpu_corpus:8.1f} articles/s; loop + pd.concat "
        f"{n / cpu_loop:.1f}/s (corpus {cpu_loop / cpu_corpus:.2f}x the loop)"
    )
    print(f"  articles not seen before, every sentence new: {rate_cold_corpus:8.1f} articles/s")
    print(f"naive regexes : {naive_rate:8.1f} articles/s (on {len(sample)} articles)")
    print(f"ratio         : {ours_rate / naive_rate:8.1f}x")
    print(
        f"planted places found in the right province: {hits / total:.1%} of {total:,}; "
        f"Afghan mentions that match no planted name: {false}"
    )


if __name__ == "__main__":
    main()
