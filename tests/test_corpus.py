"""extract_corpus: many articles in, one table out; a bad article is counted, never fatal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo.corpus import CORPUS_COLUMNS, MAX_CHARS, extract_corpus
from afghangeo.errors import InvalidInputError

REPORTS = sorted((Path(__file__).resolve().parents[1] / "examples" / "reports").glob("*.txt"))
BADGHIS = "Taliban fighters attacked a post in Badghis Province late Thursday, killing 13."
HELMAND = "A bomb killed 3 in Lashkar Gah on Monday. Officials said 4 were wounded."
CALM = "The council met to discuss the budget."
PUBLISHED = "2020-04-24"
TEXTS = [BADGHIS, CALM, HELMAND]


def _as_strings(texts: list[str]) -> Any:
    return list(texts)


def _as_records(texts: list[str]) -> Any:
    return [{"text": t, "published": PUBLISHED, "source": f"s{i}"} for i, t in enumerate(texts)]


def _as_pairs(texts: list[str]) -> Any:
    return [(t, PUBLISHED) for t in texts]


def _as_triples(texts: list[str]) -> Any:
    return [(t, PUBLISHED, f"s{i}") for i, t in enumerate(texts)]


def _as_frame(texts: list[str]) -> Any:
    return pd.DataFrame({"text": texts, "published": PUBLISHED})


def _as_series(texts: list[str]) -> Any:
    return pd.Series(texts)


def _as_generator(texts: list[str]) -> Any:
    return (t for t in texts)


FORMS: list[Callable[[list[str]], Any]] = [
    _as_strings, _as_records, _as_pairs, _as_triples, _as_frame, _as_series, _as_generator,
]  # fmt: skip


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__.removeprefix("_as_"))
def test_every_form_gives_the_rows_of_extract_incidents(form: Callable[..., Any]) -> None:
    rows = extract_corpus(form(TEXTS), default_published=PUBLISHED)
    assert list(rows.columns) == CORPUS_COLUMNS
    assert rows["article"].tolist() == [0, 2]
    assert rows["province"].tolist() == ["Badghis", "Helmand"]
    assert rows["killed"].tolist() == [13, 3]
    assert rows.attrs["articles"] == {
        "read": 3, "with_incidents": 2, "without_incidents": 1, "failed": 0,
    }  # fmt: skip
    for key in (0, 2):
        alone = ag.extract_incidents(TEXTS[key], published=PUBLISHED)
        mine = rows[rows["article"] == key].drop(columns=["article", "source"])
        alone = alone.drop(columns="source").astype(mine.dtypes.to_dict())
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone)


def test_source_and_the_index_label_name_the_article() -> None:
    frame = pd.DataFrame(
        {"body": TEXTS, "day": [PUBLISHED, None, "2020-10-14"], "url": ["u1", "u2", "u3"]},
        index=["a", "b", "c"],
    )
    rows = extract_corpus(frame, text="body", published="day", source="url")
    assert rows["article"].tolist() == ["a", "c"]
    assert rows["source"].tolist() == ["u1", "u3"]
    assert rows["date"].tolist() == [pd.Timestamp("2020-04-23"), pd.Timestamp("2020-10-12")]


def test_an_article_date_wins_over_the_default() -> None:
    rows = extract_corpus(
        [(BADGHIS, "2020-04-24"), (BADGHIS, None), (BADGHIS, "")], default_published="2021-01-08"
    )
    assert rows["date"].dt.date.tolist() == [
        dt.date(2020, 4, 23), dt.date(2021, 1, 7), dt.date(2021, 1, 7),
    ]  # fmt: skip


BAD = [
    (42, "got int"),
    (None, "got NoneType"),
    (b"Kabul", "got bytes"),
    (float("nan"), "got float"),
    ("x" * (MAX_CHARS + 1), "max_chars"),
    ({"text": BADGHIS, "published": "someday"}, "published"),
    ({"published": PUBLISHED}, "got NoneType"),
]


@pytest.mark.parametrize(("article", "reason"), BAD, ids=[r for _, r in BAD])
def test_a_bad_article_is_recorded_and_the_corpus_goes_on(article: Any, reason: str) -> None:
    rows = extract_corpus([BADGHIS, article, HELMAND], default_published=PUBLISHED)
    assert rows["article"].tolist() == [0, 2]
    assert rows.attrs["articles"]["failed"] == 1
    (error,) = rows.attrs["errors"]
    assert error["article"] == 1 and reason in error["error"]


@pytest.mark.parametrize(
    "text",
    [
        "Taliban attacked Kabul \ud800, killing 4.",
        "<html><body><p>A bomb killed 3 in <b>Lashkar Gah</b>.</p>\n<script>x()</script>",
        "\x00\u202e" * 500 + BADGHIS,
        "." * 100_000,
    ],
    ids=["surrogate", "html", "control chars", "dots"],
)
def test_hostile_text_is_read(text: str) -> None:
    rows = extract_corpus([text, BADGHIS], default_published=PUBLISHED)
    assert rows.attrs["articles"]["failed"] == 0
    assert rows["province"].iloc[-1] == "Badghis"
    assert rows["what"].map(lambda s: "\ud800" not in s).all()


def test_a_surrogate_is_one_character_so_spans_stay_right() -> None:
    text = "\ud800 " + BADGHIS
    (row,) = extract_corpus([text], default_published=PUBLISHED).itertuples()
    assert text[row.start : row.end].endswith("killing 13.")


def test_dtypes_are_the_same_whatever_is_found() -> None:
    full = extract_corpus(TEXTS, default_published=PUBLISHED)
    for rows in (extract_corpus([]), extract_corpus([CALM]), extract_corpus([None, 1])):
        assert len(rows) == 0
        assert rows.dtypes.to_dict() == full.dtypes.to_dict()


def test_keep_empty_gives_a_row_to_every_article() -> None:
    rows = extract_corpus([BADGHIS, CALM, 7], default_published=PUBLISHED, keep_empty=True)
    assert rows["article"].tolist() == [0, 1, 2]
    assert rows["status"].tolist() == ["ok", "no incidents", "failed"]
    assert rows["error"].isna().tolist() == [True, True, False]
    assert rows["incident"].tolist()[0] == 1 and rows["incident"].isna().tolist()[1:] == [
        True, True,
    ]  # fmt: skip
    assert str(rows["incident"].dtype) == "Int64"
    empty = extract_corpus([], keep_empty=True)
    assert empty.dtypes.to_dict() == rows.dtypes.to_dict()


def test_national_figures_keep_their_article() -> None:
    text = "The insurgents carried out about 50 attacks per day across the country."
    rows = extract_corpus([CALM, text])
    (fact,) = rows.attrs["facts"]
    assert fact["article"] == 1 and fact["value"] == 50


def test_the_example_reports_as_a_corpus() -> None:
    articles = [{"text": p.read_text("utf-8"), "source": p.name} for p in REPORTS]
    rows = extract_corpus(articles)
    assert set(rows["source"]) == {p.name for p in REPORTS}
    for k, path in enumerate(REPORTS):
        alone = ag.extract_incidents(path.read_text("utf-8"), source=path.name)
        assert (rows["article"] == k).sum() == len(alone)
        assert rows.loc[rows["article"] == k, "killed"].sum() == alone["killed"].sum()
    counts = ag.count_by_province(rows, weight="killed")
    assert counts["killed"].sum() == rows["killed"].sum()


@pytest.mark.parametrize(
    ("articles", "message"),
    [
        (BADGHIS, "extract_incidents"),
        (12, "got int"),
        ({"text": BADGHIS}, "got dict"),
        (pd.DataFrame({"body": TEXTS}), "'text' column"),
    ],
    ids=["one str", "int", "one dict", "no text column"],
)
def test_what_is_not_a_corpus_raises(articles: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        extract_corpus(articles)


def test_extract_incidents_passes_a_corpus_on() -> None:
    via = ag.extract_incidents(TEXTS, published=PUBLISHED)
    pd.testing.assert_frame_equal(via, extract_corpus(TEXTS, default_published=PUBLISHED))
    assert via.attrs == extract_corpus(TEXTS, default_published=PUBLISHED).attrs
    with pytest.raises(InvalidInputError, match="source="):
        ag.extract_incidents(TEXTS, source="x.txt")
    for not_text in (None, 3, b"Kabul", {"text": BADGHIS}):
        with pytest.raises(InvalidInputError, match="str"):
            ag.extract_incidents(not_text)  # type: ignore[arg-type]


def test_progress_bar_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    extract_corpus(TEXTS)  # standard error is not a terminal here
    assert capsys.readouterr().err == ""
    extract_corpus(TEXTS, progress=True)
    err = capsys.readouterr().err
    assert "articles" in err and "3/3" in err


_ITEM = st.one_of(
    st.text(max_size=80),
    st.sampled_from([BADGHIS, HELMAND, CALM, "\ud800 Kabul", "<p>Nawa</p>"]),
    st.none(),
    st.integers(),
    st.binary(max_size=5),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ITEM, max_size=6))
def test_any_list_is_read_and_every_article_counted(items: list[Any]) -> None:
    rows = extract_corpus(items, default_published=PUBLISHED, keep_empty=True)
    counts = rows.attrs["articles"]
    assert counts["read"] == len(items)
    assert counts["with_incidents"] + counts["without_incidents"] + counts["failed"] == len(items)
    assert len(rows.attrs["errors"]) == counts["failed"]
    assert set(rows["article"]) == set(range(len(items)))
    failed = {i for i, x in enumerate(items) if not isinstance(x, str)}
    assert {e["article"] for e in rows.attrs["errors"]} == failed


# --- dask ------------------------------------------------------------------------------


@pytest.fixture
def dask_sync() -> Any:
    dask = pytest.importorskip("dask")
    with dask.config.set(scheduler="synchronous"):
        yield dask


def test_a_dask_dataframe_is_read_lazily_per_partition(dask_sync: Any) -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = pd.DataFrame({"text": TEXTS * 2, "published": PUBLISHED}, index=range(10, 16))
    lazy = extract_corpus(dd.from_pandas(frame, npartitions=3), keep_empty=True)
    assert lazy.npartitions == 3
    computed = lazy.compute()
    assert computed.dtypes.to_dict() == lazy._meta.dtypes.to_dict()
    eager = extract_corpus(frame, keep_empty=True)
    assert computed["article"].tolist() == eager["article"].tolist()
    assert computed["killed"].tolist() == eager["killed"].tolist()
    assert computed["status"].tolist() == eager["status"].tolist()


def test_a_dask_bag_is_read_lazily_with_partition_keys(dask_sync: Any) -> None:
    db = pytest.importorskip("dask.bag")
    pytest.importorskip("dask.dataframe")
    bag = db.from_sequence([BADGHIS, 7, HELMAND, CALM], npartitions=2)
    lazy = extract_corpus(bag, default_published=PUBLISHED)
    computed = lazy.compute()
    assert computed["article"].tolist() == ["0:0", "1:0"]
    assert computed["province"].tolist() == ["Badghis", "Helmand"]
    assert computed.dtypes.to_dict() == lazy._meta.dtypes.to_dict()
    with_empty = extract_corpus(bag, default_published=PUBLISHED, keep_empty=True).compute()
    assert with_empty["status"].tolist() == ["ok", "failed", "ok", "no incidents"]


def test_a_dask_table_needs_a_text_column(dask_sync: Any) -> None:
    dd = pytest.importorskip("dask.dataframe")
    lazy = dd.from_pandas(pd.DataFrame({"body": TEXTS}), npartitions=1)
    with pytest.raises(InvalidInputError, match="'text' column"):
        extract_corpus(lazy)


def test_one_table_for_many_articles_is_the_loop_of_tables() -> None:
    """The corpus builds one table from the rows of many articles: it must be exactly the
    table a loop of ``extract_incidents`` and ``pd.concat`` gives, figures included."""
    dev = Path(__file__).parent / "data" / "extract_dev.jsonl"
    records = [json.loads(line) for line in dev.read_text("utf-8").splitlines()]
    records = [*records[:60], {"text": CALM, "published": PUBLISHED}]
    rows = extract_corpus(records)
    parts = []
    for k, r in enumerate(records):
        alone = ag.extract_incidents(r["text"], published=r["published"])
        parts.append(alone.assign(article=k))
        figures = [f for f in rows.attrs["figures"] if f["article"] == k]
        assert figures == [{"article": k, **f} for f in alone.attrs["figures"]]
    loop = pd.concat(parts, ignore_index=True)[CORPUS_COLUMNS]
    pd.testing.assert_frame_equal(rows, loop.astype(rows.dtypes.to_dict()))
    assert len(rows) > 60 and rows["killed"].notna().sum() > 30
