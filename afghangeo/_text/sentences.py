"""Sentences and paragraphs of a text, with character spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from afghangeo._text.lexicon import ABBREVIATIONS

__all__ = ["Sentence", "sentence_finder", "sentences"]

_CLOSERS = "[\"”’')\\]]"


def _abbreviations() -> str:
    """A look-behind for a full stop after an abbreviation ("Gen.", "U.S.") or an initial.

    The word before the stop is the run of letters and dots before it, as a whole: a
    look-behind for each length of word, each word written in either case.
    """
    words = [w for w in ABBREVIATIONS if re.fullmatch(r"[a-z.]+", w)]
    by_length: dict[int, list[str]] = {1: ["[A-Za-z]"]}
    for word in sorted(words):
        spelled = "".join(f"[{c.upper()}{c}]" if c.isalpha() else r"\." for c in word)
        by_length.setdefault(len(word), []).append(spelled)
    longest = max(by_length)
    return (
        rf"(?<=[A-Za-z]\.)(?<![A-Za-z.]{{{longest + 2}}})(?:"
        + "|".join(
            rf"(?<=(?<![A-Za-z.])(?:{'|'.join(alts)})\.)" for _, alts in sorted(by_length.items())
        )
        + ")"
    )


# The end of a sentence: a run of stops (never entered in its middle, so that a run of
# 100,000 dots is read once), closing quotes or brackets and white space; or a line break.
# The pattern starts with a character class, so that the engine skips ahead to the next
# stop or line break; the group that ends the match tells the kind of end.
_BOUNDARY = re.compile(
    r"[.!?\n](?:(?<=\n)\s*\n(?P<blank>)|(?<=\n)(?=\s*\S)(?P<line>)"
    rf"|(?<![.!?]{{2}})(?:{_abbreviations()})[.!?]*+{_CLOSERS}*+\s+(?P<abbreviation>)"
    rf"|(?<![.!?]{{2}})[.!?]*+{_CLOSERS}*+(?:(?P<space>[^\S\n]++)(?!\s)|(?P<stop>\s+)))"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SHORT_LINE = 50  # shorter lines in a wrapped text are titles, bylines or dates


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a text: its span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    text: str


# Sentences are made by the thousand, with their slots set directly: the __init__ of a
# frozen dataclass takes twice as long (an object.__setattr__ call for each field).
_NEW = object.__new__
_SET_START, _SET_END, _SET_PARAGRAPH, _SET_TEXT = (
    vars(Sentence)[name].__set__ for name in ("start", "end", "paragraph", "text")
)


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
        kind = match.lastgroup
        if kind == "space":  # the end of a sentence, with no line break after it
            end = match.start("space")
            new_paragraph = False
        elif kind == "stop":
            end = match.start("stop")
            space = match.group("stop")
            new_paragraph = "\n" in space and (
                not blank_lines or _BLANK_LINE.search(space) is not None
            )
        elif kind == "abbreviation":
            continue
        else:
            end = match.start()
            new_paragraph = not blank_lines or (
                kind == "blank" and _BLANK_LINE.search(match.group()) is not None
            )
            if not new_paragraph and _wrapped_line(text, end):
                continue
        _add(out, text, start, end, paragraph)
        paragraph += new_paragraph
        start = match.end()
    _add(out, text, start, len(text), paragraph)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        first = start if len(stripped) == len(chunk) else start + len(chunk) - len(chunk.lstrip())
        sentence = _NEW(Sentence)
        _SET_START(sentence, first)
        _SET_END(sentence, first + len(stripped))
        _SET_PARAGRAPH(sentence, paragraph)
        _SET_TEXT(sentence, stripped)
        out.append(sentence)


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
