"""The words of a text that may be part of a place name, with their spans.

A word may be part of a name when it is capitalised or in Arabic script, follows a
hyphen ("Qala-e Naw"), or is a connector standing alone ("Dasht-e Archi", "Lash-o
Juwayn"); a possessive "'s" is taken off ("Nimruz's"). These are the only words the
phrase look-up of :mod:`~afghangeo._text.mentions` reads.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from afghangeo.names import fold_name

__all__ = ["Token", "tokens", "without_possessives"]

# A word that can be part of a name: it starts after a hyphen, with a capital or
# Arabic-script letter, or is a connector ("Qala-e Naw", "Lash-o-Juwayn"); combining
# marks may follow letters ("Gāh" written with a combining macron). The three starts
# are three scans, each led by a character class that the regex engine skips to fast
# (one pattern led by lookarounds tries every position); see :func:`tokens`.
_APOSTROPHES = "'’‘ʿ"
_REST = r"[^\W\d_\u0300-\u036f]*+(?:[\u0300-\u036f]++[^\W\d_]*+)*+(?:['’‘`ʿʾ][^\W\d_]+)*+"
_WORD = rf"[{_APOSTROPHES}]?[^\W\d_]{_REST}"
_CAPITALISED = re.compile(
    rf"[A-Z\u00c0-\u00de\u0100-\u024f\u0600-\u06ff\u0750-\u077f{_APOSTROPHES}]"
    rf"(?:(?<=[{_APOSTROPHES}])[^\W\d_]|(?<=[^\W\d_])){_REST}"
)
_AFTER_HYPHEN = re.compile(rf"[-‐‑](?P<word>{_WORD})")
# a connector standing alone, with what may follow it in a word (after the letters,
# which end where the connector does: combining marks, an apostrophe and letters)
_CONNECTOR = re.compile(
    rf"[eiyaouwv](?<![\w{_APOSTROPHES}].)(?:(?<=e)e?|(?<=y)[ei]?|(?<=[wv])a|(?<=[iaou]))\b"
    r"(?:[\u0300-\u036f]++[^\W\d_]*+)*+(?:['’‘`ʿʾ][^\W\d_]+)*+"
)
# the three as one pattern: what tokens() falls back to in the rare text where a word
# one scan finds runs past the end of one that another scan found first
_ANY_WORD = re.compile(
    r"(?:(?<=[-‐‑])|(?=[A-Z\u00c0-\u00de\u0100-\u024f\u0600-\u06ff\u0750-\u077f'’‘ʿ])|"
    rf"(?<![\w{_APOSTROPHES}])(?=(?:e|i|ye|yi|y|a|o|u|wa|va|ee)\b)){_WORD}"
)
_POSSESSIVES = ("'s", "’s", "‘s", "'S", "’S")


class Token(NamedTuple):
    """A word that may be part of a name, with its span and folded form."""

    start: int
    end: int
    text: str
    fold: str
    capital: bool


@functools.lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, bool]:
    """Folded form of a word, and whether it may start a name (capital or Arabic script)."""
    first = word.lstrip("'’‘ʿ")[:1] or word[0]
    arabic = "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f"
    return fold_name(word), first.isupper() or arabic


def tokens(text: str) -> list[Token]:
    """The words of `text` that may be part of a name.

    >>> [t.text for t in tokens("Fighting in Pul-i-Khumri and Dasht-e Archi, said Mr. Ahmadi")]
    ['Fighting', 'Pul', 'i', 'Khumri', 'Dasht', 'e', 'Archi', 'Mr', 'Ahmadi']
    """
    spans = [m.span() for m in _CAPITALISED.finditer(text)]
    spans += [m.span("word") for m in _AFTER_HYPHEN.finditer(text)]
    spans += [m.span() for m in _CONNECTOR.finditer(text)]
    spans.sort()
    word, new = _word, tuple.__new__
    out: list[Token] = []
    end = -1
    for start, stop in spans:
        if start < end:
            if stop > end:  # it may hide a word the one pattern finds after `end`
                return _tokens_of(text, _ANY_WORD.finditer(text))
            continue  # the same word found by another scan
        w = text[start:stop]
        fold, capital = word(w)
        out.append(new(Token, (start, stop, w, fold, capital)))
        end = stop
    return out


def _tokens_of(text: str, words: Iterator[re.Match[str]]) -> list[Token]:
    word, new = _word, tuple.__new__
    out: list[Token] = []
    for m in words:
        w = m[0]
        fold, capital = word(w)
        out.append(new(Token, (m.start(), m.end(), w, fold, capital)))
    return out


def without_possessives(text: str, toks: list[Token]) -> list[Token]:
    """The tokens of `text` with a possessive "'s" taken off: "Nimruz's" is "Nimruz".

    The list is changed in place (and returned); the possessives are found with
    ``str.find``, so a text without any costs a few scans.

    >>> text = "Nangarhar’s Achin and KABUL'S"
    >>> [t.text for t in without_possessives(text, tokens(text))]
    ['Nangarhar', 'Achin', 'KABUL']
    """
    ends = None
    for mark in _POSSESSIVES:
        at = text.find(mark)
        while at >= 0:
            if ends is None:
                ends = [t.end for t in toks]
            k = bisect.bisect_left(ends, at + 2)
            if k < len(toks) and ends[k] == at + 2 and toks[k].start < at - 1:
                t = toks[k]
                word = t.text[:-2]
                toks[k] = Token(t.start, t.end - 2, word, *_word(word))
            at = text.find(mark, at + 2)
    return toks
