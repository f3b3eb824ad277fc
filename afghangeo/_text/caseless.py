"""Case-insensitive patterns searched in lowercased text: the same matches, faster.

Python's ``re.IGNORECASE`` compares every character through case folding and gives up
the scan for a literal prefix, which makes a long alternation of words ("attack",
"clash", "ambush", ...) several times slower than the same pattern on lowercased text.
:class:`Caseless` scans the lowercased text (kept once per string) with the plain
pattern and then takes the match from the text itself with the case-insensitive one,
anchored where the scan found it, so callers get the same spans and the same words as
written. Texts whose lowercasing is not one character for one, or that hold one of the
three characters that ``IGNORECASE`` matches to an ASCII letter which lowercasing does
not give (İ, ı, ſ), are searched with the case-insensitive pattern alone.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator

__all__ = ["Caseless", "fold_case", "lowered"]

# characters for which IGNORECASE and str.lower disagree on an ASCII letter (found by
# comparing the two over every code point)
_DISAGREE = re.compile("[\u0130\u0131\u017f]")
# the parts of a pattern that lowercasing must leave alone: escapes (\\S is not \\s) and
# group names; a code point given by number is checked to be caseless
_KEEP = re.compile(
    r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|N\{[^}]*\}|.)|\(\?P<\w+>|\(\?P=\w+\)"
)


def _lower_pattern(pattern: str) -> str:
    r"""`pattern` with its letters lowercased: the same matches under ``IGNORECASE``.

    Raises ValueError for a cased character given by number ("\u00c0"), whose
    lowercase would have to be written out.
    """
    out, at = [], 0
    for m in _KEEP.finditer(pattern):
        out.append(pattern[at : m.start()].lower())
        keep = m[0]
        if keep[:2] in ("\\u", "\\U", "\\x", "\\N"):
            char = "" if keep[1] == "N" else chr(int(keep[2:], 16))
            if not char or char.lower() != char or char.upper() != char:
                msg = f"Caseless patterns cannot hold a cased character by number: {keep}"
                raise ValueError(msg)
        out.append(keep)
        at = m.end()
    out.append(pattern[at:].lower())
    return "".join(out)


_AS_IGNORECASE = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def fold_case(word: str) -> str:
    """`word` lowercased as ``IGNORECASE`` compares letters: the key of a matched word.

    A pattern with the flag matches "Tueſday" (long s) and "KİLLED"; their plain
    lowercase is no key of a table of "tuesday" or "killed".

    >>> fold_case("Tueſday"), fold_case("KİLLED"), fold_case("\u212aabul")
    ('tuesday', 'killed', 'kabul')
    """
    return word.translate(_AS_IGNORECASE).lower()


class _Lowered:
    """Lowercased texts, kept until they add up to `budget` characters (oldest go first).

    A sentence is searched by many patterns in turn, and a long one in many windows:
    it is lowercased once. The budget bounds the memory whatever the texts' sizes.
    """

    def __init__(self, budget: int) -> None:
        self.budget, self.size = budget, 0
        self.kept: dict[str, str | None] = {}
        self.lock = threading.Lock()

    def __call__(self, text: str) -> str | None:
        """`text` lowercased, or None when matches there would not be matches in `text`."""
        try:
            return self.kept[text]
        except KeyError:
            pass
        lower = text.lower()
        same = len(lower) == len(text) and (text.isascii() or not _DISAGREE.search(text))
        low = lower if same else None
        with self.lock:
            if text not in self.kept:
                self.kept[text] = low
                self.size += len(text)
            while self.size > self.budget and len(self.kept) > 1:
                self.size -= len(old := next(iter(self.kept)))
                del self.kept[old]
        return low

    def clear(self) -> None:
        """Forget every text (benchmarks that read each sentence as new)."""
        with self.lock:
            self.kept.clear()
            self.size = 0


lowered = _Lowered(budget=1 << 23)


class Caseless:
    r"""A pattern compiled with ``re.IGNORECASE``, with the methods that find matches.

    Its letters are lowercased (``[A-Za-z]`` is ``[a-z]`` under the flag), so that on
    lowercased text it matches without the flag.

    >>> rx = Caseless(r"\b(?:attack|ambush)(?:ed|s)?\b")
    >>> rx.search("Taliban fighters AMBUSHED a convoy")
    <re.Match object; span=(17, 25), match='AMBUSHED'>
    """

    __slots__ = ("_icase", "_plain", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._icase = re.compile(pattern, flags | re.IGNORECASE)
        self._plain = re.compile(_lower_pattern(pattern), flags & ~re.IGNORECASE)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """The first match in ``text[pos:endpos]``, as ``re.Pattern.search``."""
        low = lowered(text)
        if low is None:
            return self._icase.search(text, pos, endpos)
        m = self._plain.search(low, pos, endpos)
        return None if m is None else self._icase.match(text, m.start(), endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """A match at `pos` (anchored: no scan to gain, so the flag is used directly)."""
        return self._icase.match(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """Every match, as ``re.Pattern.finditer``."""
        low = lowered(text)
        if low is None:
            yield from self._icase.finditer(text, pos, endpos)
            return
        for m in self._plain.finditer(low, pos, endpos):
            found = self._icase.match(text, m.start(), endpos)
            if found is None or found.end() != m.end():  # never seen; the flag decides
                yield from self._icase.finditer(text, m.start(), endpos)
                return
            yield found
