"""Incidents of a whole corpus of articles: one table, bad articles counted, not fatal.

:func:`extract_corpus` runs :func:`~afghangeo.extract.extract_incidents` over many
articles (a list of texts, records, a DataFrame, or a dask bag or DataFrame) and
returns one table with an ``article`` column naming the article of each row. An
article that cannot be read (not a str, far too long, a bad publication date) is
recorded and the corpus goes on; articles without incidents stay countable.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import pandas as pd

from afghangeo._compat import import_optional, is_dask
from afghangeo._compat import progress as _progress
from afghangeo._text.table import FIGURE_COLUMNS, INCIDENT_COLUMNS, frame
from afghangeo.errors import InvalidInputError
from afghangeo.extract import _check_text, _Read, _read_article

__all__ = ["CORPUS_COLUMNS", "MAX_CHARS", "extract_corpus"]

#: Articles longer than this many characters (~300,000 words) are recorded as failed.
MAX_CHARS = 2_000_000
_CHUNK = 2_000  # articles per concatenation (bounds the list of small frames held)
_SURROGATE = re.compile("[\ud800-\udfff]")

#: The columns of :func:`extract_corpus`: ``article``, then those of
#: :func:`~afghangeo.extract.extract_incidents` (``status`` and ``error`` are added
#: with ``keep_empty=True``).
CORPUS_COLUMNS = ["article", *INCIDENT_COLUMNS]
_DTYPES: dict[str, Any] = {
    "incident": "int64", "latitude": "float64", "longitude": "float64", "score": "float64",
    "date": "datetime64[s]", "date_end": "datetime64[s]", "start": "int64", "end": "int64",
    **dict.fromkeys(FIGURE_COLUMNS, "Int64"),
}  # fmt: skip
_EMPTY_INTS = ("incident", "start", "end")
_SOURCE = INCIDENT_COLUMNS.index("source")  # NA on the row of an article without incidents


class _Article(NamedTuple):
    key: Hashable
    text: object
    published: object
    source: object


def extract_corpus(
    articles: Any,
    *,
    text: str = "text",
    published: str = "published",
    source: str = "source",
    default_published: dt.date | str | None = None,
    keep_empty: bool = False,
    max_chars: int = MAX_CHARS,
    progress: bool | None = None,
) -> Any:
    """Incidents of many articles in one table, with the article of each row.

    Parameters
    ----------
    articles : iterable, DataFrame, Series, dask Bag or dask DataFrame
        The articles: texts (str); records (dicts with the keys named by `text`,
        `published`, `source`); ``(text, published)`` or ``(text, published,
        source)`` tuples; a DataFrame or dask DataFrame with those columns (only
        `text` is required); a Series of texts; or a dask Bag of any of the
        per-article forms.
    text, published, source : str
        The keys or columns of the article's text, publication date and source (a
        URL or file name, copied to the ``source`` column).
    default_published : date or str, optional
        The publication date of articles that give none; if neither is given, a date
        line near the top of the article is used (see ``extract_incidents``).
    keep_empty : bool, default False
        Also give one row to each article without incidents (``status`` ``"no
        incidents"``) and to each that failed (``"failed"``, the reason in ``error``);
        incident rows have status ``"ok"``. Their ``incident``, ``start`` and ``end``
        are <NA>, so these columns are ``Int64``. Needed to count such articles in a
        dask result, which has no ``.attrs``.
    max_chars : int, default MAX_CHARS
        Articles longer than this are recorded as failed, not read.
    progress : bool, optional
        A progress bar (tqdm, if installed) on standard error; by default only when
        standard error is a terminal. Not shown for dask input.

    Returns
    -------
    pandas.DataFrame, or dask DataFrame for dask input
        The rows of :func:`~afghangeo.extract.extract_incidents` for every article
        (incident numbers restart at 1 in each article), after an ``article``
        column: the article's position in the input, its index label for a
        DataFrame or Series, or ``"partition:position"`` for a dask Bag. Always the
        same dtypes, whatever was found. Lone surrogates in a text are read as
        U+FFFD, one character each, so spans stay right. A pandas result's
        ``.attrs`` hold ``articles`` (counts: ``read``, ``with_incidents``,
        ``without_incidents``, ``failed``), ``errors`` (one dict per failed
        article: ``article``, ``source``, ``error``), ``facts`` (national figures)
        and ``figures`` (every figure with the span of its words, as in
        ``extract_incidents``), each with its ``article``. A dask result is lazy,
        built per partition, with these columns as ``meta``.

    Raises
    ------
    InvalidInputError
        If `articles` is a single str or not a collection of articles, or a table
        lacks the `text` column. A bad article never raises.

    Examples
    --------
    >>> from afghangeo.corpus import extract_corpus  # also ag.extract_corpus
    >>> rows = extract_corpus([
    ...     {"text": "A bomb killed 3 in Lashkar Gah on Monday.", "published": "2020-10-14",
    ...      "source": "a.txt"},
    ...     {"text": "Nothing happened.", "published": "2020-10-14"},
    ...     42,
    ... ])
    >>> rows[["article", "province", "killed", "source"]].values.tolist()
    [[0, 'Helmand', 3, 'a.txt']]
    >>> rows.attrs["articles"]
    {'read': 3, 'with_incidents': 1, 'without_incidents': 1, 'failed': 1}
    >>> rows.attrs["errors"][0]["error"]
    'InvalidInputError: Expected the article text as a str, got int.'

    ``extract_incidents`` passes a collection of articles here:

    >>> len(ag.extract_incidents(["A bomb killed 3 in Kabul.", "Calm."], published="2020-10-14"))
    1
    """
    options = _Options(text, published, source, default_published, keep_empty, max_chars)
    if is_dask(articles) or _is_bag(articles):
        return _lazy(articles, options)
    items = _articles(articles, options)
    total = len(articles) if hasattr(articles, "__len__") else None
    shown = _progress(items, progress, total=total, desc="articles", unit="article")
    keys = articles.index.dtype if isinstance(articles, pd.DataFrame | pd.Series) else "int64"
    return _Collector(options, keys).run(shown)


# --- what an article is ----------------------------------------------------------------


class _Options(NamedTuple):
    text: str
    published: str
    source: str
    default_published: dt.date | str | None
    keep_empty: bool
    max_chars: int


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value == ""
    return isinstance(value, float) and math.isnan(value)


def _record(key: Hashable, item: object, o: _Options) -> _Article:
    """One article from a str, a mapping or a tuple; anything else is kept to fail."""
    if isinstance(item, Mapping):
        return _Article(key, item.get(o.text), item.get(o.published), item.get(o.source))
    if isinstance(item, tuple) and 1 <= len(item) <= 3:
        parts = (*item, None, None)
        return _Article(key, parts[0], parts[1], parts[2])
    return _Article(key, item, None, None)


def _articles(articles: Any, o: _Options) -> Iterator[_Article]:
    if isinstance(articles, str | bytes):
        msg = "extract_corpus takes a collection of articles; for one text, use extract_incidents."
        raise InvalidInputError(msg)
    if isinstance(articles, pd.DataFrame):
        return _frame_articles(articles, o)
    if isinstance(articles, pd.Series):
        return (_Article(k, v, None, None) for k, v in articles.items())
    if not isinstance(articles, Iterable) or isinstance(articles, Mapping):
        msg = (
            "extract_corpus takes texts, records, (text, published) tuples or a DataFrame; "
            f"got {type(articles).__name__}."
        )
        raise InvalidInputError(msg)
    return (_record(k, item, o) for k, item in enumerate(articles))


def _frame_articles(frame: pd.DataFrame, o: _Options) -> Iterator[_Article]:
    if o.text not in frame.columns:
        msg = f"The table has no {o.text!r} column of article text; pass text='<column>'."
        raise InvalidInputError(msg)
    n = len(frame)
    columns = [
        frame[c].tolist() if c in frame.columns else [None] * n
        for c in (o.text, o.published, o.source)
    ]
    return (_Article(k, *row) for k, *row in zip(frame.index, *columns, strict=True))


# --- reading -------------------------------------------------------------------------


class _Collector:
    """Reads articles one by one and gathers their rows, counts, errors and facts.

    The rows of many articles become one table per chunk: a table per article would
    cost about as much as reading the article.
    """

    def __init__(self, options: _Options, keys: Any = "int64") -> None:
        self.o, self.key_dtype = options, keys
        self.chunks: list[pd.DataFrame] = []
        self.rows: list[list[Any]] = []
        self.keys: list[Hashable] = []
        self.status: list[str] = []
        self.error: list[str | None] = []
        self.pending = 0  # articles whose rows are not in a chunk yet
        self.counts = {"read": 0, "with_incidents": 0, "without_incidents": 0, "failed": 0}
        self.errors: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []

    def run(self, articles: Iterable[_Article]) -> pd.DataFrame:
        for article in articles:
            self.read(article)
            if self.pending >= _CHUNK:
                self._flush()
        self._flush()
        if self.chunks:
            table = pd.concat(self.chunks, ignore_index=True)
        else:
            table = _empty(self.o, self.key_dtype)
        table.attrs = {
            "articles": self.counts, "errors": self.errors, "facts": self.facts,
            "figures": self.figures,
        }  # fmt: skip
        return table

    def read(self, a: _Article) -> None:
        self.counts["read"] += 1
        self.pending += 1
        try:
            found = _incidents(a, self.o)
        except Exception as err:  # one bad article never stops the corpus
            self.counts["failed"] += 1
            error = f"{type(err).__name__}: {err}"
            self.errors.append(
                {"article": a.key, "source": _text_or_none(a.source), "error": error}
            )
            self._keep_empty(a, "failed", error)
            return
        self.facts.extend({"article": a.key, **f} for f in found.facts)
        self.figures.extend({"article": a.key, **f} for f in found.figures)
        if found.rows:
            self.counts["with_incidents"] += 1
            self._add(a.key, found.rows, "ok", None)
        else:
            self.counts["without_incidents"] += 1
            self._keep_empty(a, "no incidents", None)

    def _keep_empty(self, a: _Article, status: str, error: str | None) -> None:
        if self.o.keep_empty:
            row: list[Any] = [None] * len(INCIDENT_COLUMNS)
            row[_SOURCE] = _text_or_none(a.source)
            self._add(a.key, [row], status, error)

    def _add(self, key: Hashable, rows: list[list[Any]], status: str, error: str | None) -> None:
        self.rows += rows
        self.keys += [key] * len(rows)
        if self.o.keep_empty:
            self.status += [status] * len(rows)
            self.error += [error] * len(rows)

    def _flush(self) -> None:
        if self.rows:
            table = frame(self.rows)
            table.insert(0, "article", self.keys)
            if self.o.keep_empty:
                table["status"], table["error"] = self.status, self.error
            self.chunks.append(_conform(table, self.o))
        self.rows, self.keys, self.status, self.error = [], [], [], []
        self.pending = 0


def _text_or_none(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _incidents(a: _Article, o: _Options) -> _Read:
    """The incidents of one article; raises for an article that cannot be read."""
    body = a.text
    if isinstance(body, str):
        if len(body) > o.max_chars:
            msg = f"The text has {len(body):,} characters, more than max_chars={o.max_chars:,}."
            raise InvalidInputError(msg)
        if not body.isascii():
            body = _SURROGATE.sub("\ufffd", body)
    body = _check_text(body)
    day = o.default_published if _missing(a.published) else a.published
    return _read_article(body, published=day, source=_text_or_none(a.source))  # type: ignore[arg-type]


def _columns(o: _Options) -> list[str]:
    return [*CORPUS_COLUMNS, "status", "error"] if o.keep_empty else CORPUS_COLUMNS


def _dtypes(o: _Options) -> dict[str, Any]:
    types = {c: _DTYPES.get(c, "str") for c in _columns(o) if c != "article"}
    if o.keep_empty:
        types |= dict.fromkeys(_EMPTY_INTS, "Int64")
    return types


def _conform(table: pd.DataFrame, o: _Options) -> pd.DataFrame:
    """The columns of the corpus table, in order, with the same dtypes every time."""
    table = table.reindex(columns=_columns(o))
    return table.astype(_dtypes(o))


def _empty(o: _Options, article: Any = "int64") -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series([], dtype=object) for c in _columns(o)})
    table["article"] = table["article"].astype(article)
    return _conform(table, o)


# --- dask ------------------------------------------------------------------------------


def _is_bag(obj: Any) -> bool:
    return type(obj).__module__.startswith("dask.bag")


def _partition(part: Any, o: _Options, number: int | None = None) -> pd.DataFrame:
    """The corpus table of one partition (a pandas DataFrame, or a list from a Bag)."""
    if number is not None:  # a Bag partition: keys "partition:position"
        items = (_record(f"{number}:{k}", item, o) for k, item in enumerate(part))
        table = _Collector(o, "str").run(items)
    else:
        table = _Collector(o, part.index.dtype).run(_frame_articles(part, o))
    table.attrs = {}
    return table


def _lazy(articles: Any, o: _Options) -> Any:
    """A dask DataFrame, one partition of incidents per partition of articles."""
    dd = import_optional("dask.dataframe", extra="dask")
    if _is_bag(articles):
        delayed = import_optional("dask").delayed
        meta = _empty(o, article="str")
        parts = [delayed(_partition)(p, o, i) for i, p in enumerate(articles.to_delayed())]
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
    if o.text not in articles.columns:
        msg = f"The table has no {o.text!r} column of article text; pass text='<column>'."
        raise InvalidInputError(msg)
    meta = _empty(o, article=articles._meta.index.dtype)
    return articles.map_partitions(_partition, o, meta=meta, clear_divisions=True)


def extract_any(articles: Any, *, published: Any, source: str | None) -> Any:
    """``extract_incidents`` of a non-str: a corpus, or the error of something not a text."""
    many = isinstance(articles, Iterable) and not isinstance(articles, bytes | Mapping)
    if not (many or is_dask(articles)):
        _check_text(articles)  # raises
    if source is not None:
        msg = "source= names one article; give each article of a corpus its own source."
        raise InvalidInputError(msg)
    return extract_corpus(articles, default_published=published)
