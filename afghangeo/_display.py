"""Rich display in Jupyter: mentions as highlighted text and a table.

:func:`afghangeo.extract_places` returns a :class:`Mentions` list; in a notebook it
shows the text with each place highlighted (Afghan places green, foreign places
grey, unresolved ones orange) and a table of the mentions. Everything shown is
HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

__all__ = ["Mentions"]

_MAX_TEXT = 20_000  # characters of the text shown highlighted
_COLORS = {"afghan": "#c7e9c0", "foreign": "#e0e0e0", "unresolved": "#fdd0a2"}


class Mentions(list[Any]):
    """A list of :class:`~afghangeo.Mention` that also knows the text they are in."""

    def __init__(self, text: str, mentions: Iterable[Any] = ()) -> None:
        super().__init__(mentions)
        self.text = text

    def _repr_html_(self) -> str:
        return self._highlighted() + self._table()

    def _kind(self, m: Any) -> str:
        if m.foreign:
            return "foreign"
        return "afghan" if m.province else "unresolved"

    def _highlighted(self) -> str:
        text = self.text[:_MAX_TEXT]
        out, at = [], 0
        for m in sorted(self, key=lambda m: m.start):
            if m.start < at or m.end > len(text):
                continue
            out.append(html.escape(text[at : m.start]))
            where = "foreign" if m.foreign else m.province or "?"
            tip = html.escape(f"{m.name or m.text} — {where} ({m.role})")
            color = _COLORS[self._kind(m)]
            out.append(
                f'<mark style="background:{color}" title="{tip}">{html.escape(m.text)}</mark>'
            )
            at = m.end
        out.append(html.escape(text[at:]))
        more = " …" if len(self.text) > _MAX_TEXT else ""
        return f'<div style="white-space:pre-wrap;line-height:1.5">{"".join(out)}{more}</div>'

    def _table(self) -> str:
        columns = ("text", "name", "province", "district", "role", "precision", "score", "status")
        head = "".join(f"<th>{c}</th>" for c in columns)

        def cell(m: Any, c: str) -> str:
            value = getattr(m, c)
            shown = f"{value:.2f}" if isinstance(value, float) else "" if value is None else value
            return f"<td>{html.escape(str(shown))}</td>"

        body = "".join(f"<tr>{''.join(cell(m, c) for c in columns)}</tr>" for m in self)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
