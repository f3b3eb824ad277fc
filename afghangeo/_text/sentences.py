"""Sentences and paragraphs of a text, with character spans."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from afghangeo._text.lexicon import ABBREVIATIONS

__all__ = ["Sentence", "sentence_finder", "sentences"]

# The end of a sentence: a run of stops (never entered in its middle, so that a run of
# 100,000 dots is read once), closing quotes or brackets and white space; or a line break.
# Every branch starts with a character class, so that the engine skips ahead to the
# next stop or line break ("no stop before" is a look-behind after the first stop).
_BOUNDARY = re.compile(r"[.!?](?<![.!?]{2})[.!?]*+[\"”’')\]]*+\s+|\n\s*\n|\n(?=\s*\S)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# The word before a full stop: "Gen." in "Gen. Miller", "U.S." in "the U.S. said".
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
_SHORT_LINE = 50  # shorter lines in a wrapped text are titles, bylines or dates


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a text: its span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    text: str


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``text[stop]`` follows an abbreviation or an initial."""
    return _abbreviation_before(text[max(0, stop - 12) : stop + 1])


@functools.lru_cache(maxsize=4096)  # the same words end sentences again and again
def _abbreviation_before(tail: str) -> bool:
    match = _LAST_WORD.search(tail)
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _wrapped_line(text: str, brk: int) -> bool:
    """Whether the line ending at ``text[brk]`` is long enough to be hard-wrapped prose."""
    line = text[text.rfind("\n", 0, brk) + 1 : brk]
    return len(line.strip()) >= _SHORT_LINE


def sentences(text: str) -> list[Sentence]:
    r"""Split `text` into sentences with character spans.

    Sentences end at ``.``, ``!`` or ``?`` followed by white space, except after
    abbreviations (Mr., Gen., Oct., U.S.) and initials (Austin S. Miller). In a text
    with blank lines between paragraphs, a single line break inside a paragraph is a
    space (hard-wrapped text) unless the line is short (a title, a byline, a date);
    without blank lines, every line is a paragraph.

    Examples
    --------
    >>> [s.text for s in sentences("Mr. Afghan said so. Gen. S. Miller agreed.\nNext.")]
    ['Mr. Afghan said so.', 'Gen. S. Miller agreed.', 'Next.']
    >>> wrapped = "A long line of a paragraph that was hard-wrapped near the\nend. Two."
    >>> text = "Title\n\n" + wrapped + "\n\nThree."
    >>> [(s.paragraph, s.text[-9:]) for s in sentences(text)]
    [(0, 'Title'), (1, ' the\nend.'), (1, 'Two.'), (2, 'Three.')]
    >>> len(sentences("." * 100_000))
    1
    """
    blank_lines = _BLANK_LINE.search(text) is not None
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = match.group()
        if piece[0] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        new_paragraph = "\n" in piece and (not blank_lines or _BLANK_LINE.search(piece) is not None)
        wrapped = piece[0] == "\n" and blank_lines and not new_paragraph
        if wrapped and _wrapped_line(text, match.start()):
            continue
        end = match.end() - (len(piece) - len(piece.rstrip()))
        _add(out, text, start, end, paragraph)
        if new_paragraph:
            paragraph += 1
        start = match.end()
    _add(out, text, start, len(text), paragraph)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    left = chunk.lstrip()
    if left:
        stripped = left.rstrip()
        first = start + len(chunk) - len(left)
        out.append(Sentence(first, first + len(stripped), paragraph, stripped))


def sentence_finder(sents: list[Sentence]) -> Callable[[int], int]:
    """A function from a character position to the index of its sentence (by bisection).

    >>> find = sentence_finder(sentences("One. Two. Three."))
    >>> find(0), find(6), find(100)
    (0, 1, 2)
    """
    starts = [s.start for s in sents]

    def find(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    return find
