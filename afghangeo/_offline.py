"""Offline HTML for the maps: vendored Leaflet assets and JSON that is safe in a script.

The map elements of :mod:`afghangeo._folium` link Leaflet and its plugins by their CDN
address (as folium does); :func:`inline_assets` swaps every such link for the vendored
copy in ``afghangeo/data/vendor/`` (see ``VERSIONS.md`` there), so a saved file, and a
map shown in Jupyter, work with no network at all. Nothing here imports folium.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from importlib.resources import files
from typing import Any

from afghangeo.errors import InvalidInputError

__all__ = ["CSS", "JS", "inline_assets", "js_json"]

_CDN = "https://cdn.jsdelivr.net/npm"
_MC = f"{_CDN}/leaflet.markercluster@1.5.3/dist"
# name -> CDN address; the vendored file has the address's base name.
JS = {
    "leaflet": f"{_CDN}/leaflet@1.9.4/dist/leaflet.js",
    "markercluster": f"{_MC}/leaflet.markercluster.js",
    "heat": f"{_CDN}/leaflet.heat@0.2.0/dist/leaflet-heat.js",
}
CSS = {
    "leaflet_css": f"{_CDN}/leaflet@1.9.4/dist/leaflet.css",
    "markercluster_css": f"{_MC}/MarkerCluster.css",
    "markercluster_default_css": f"{_MC}/MarkerCluster.Default.css",
}
_VENDORED = {url.rsplit("/", 1)[1] for url in (*JS.values(), *CSS.values())}
# folium's default page assets that no afghangeo map uses (Bootstrap, jQuery, icon fonts):
# dropped from an offline file rather than fetched.
_DROPPABLE = re.compile(r"jquery|bootstrap|awesome|font-?awesome|glyphicons", re.IGNORECASE)
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""")
_LINK_CSS = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def js_json(value: Any) -> str:
    r"""Compact JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``-style escapes, so no string in the data
    can close the script (``</script>``) or open a comment; the value is unchanged
    for JavaScript.

    Examples
    --------
    >>> from afghangeo._offline import js_json
    >>> js_json({"note": "</script><b>"})
    '{"note":"\\u003c/script\\u003e\\u003cb\\u003e"}'
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group()], text)


@functools.cache
def _asset(name: str) -> str:
    """A vendored asset's text, ready to inline (source maps dropped, images inlined)."""
    folder = files("afghangeo") / "data" / "vendor"
    text = (folder / name).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)
    if name.endswith(".css"):

        def data_uri(match: re.Match[str]) -> str:
            png = (folder / match.group(2)).read_bytes()
            return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

        text = _CSS_URL.sub(data_uri, text)
    return text


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE))


def inline_assets(html: str) -> str:
    """Replace every external ``<script src>``/``<link href>`` by the vendored copy.

    Parameters
    ----------
    html : str
        A page as rendered by folium.

    Returns
    -------
    str
        The same page with Leaflet, MarkerCluster and Leaflet.heat inlined and
        folium's unused defaults (jQuery, Bootstrap, icon fonts) removed.

    Raises
    ------
    InvalidInputError
        If the page links an asset that afghangeo does not ship (a folium plugin
        added by hand); save it with ``offline=False`` instead.

    Examples
    --------
    >>> page = inline_assets(f'<script src="{JS["heat"]}"></script><p>map</p>')
    >>> page.startswith("<script>") and "simpleheat" in page and "src=" not in page
    True
    """
    unknown: list[str] = []

    def replace(match: re.Match[str], *, tag: str) -> str:
        url = match.group(1)
        if not _is_external(url):
            return match.group(0)
        name = url.split("?", 1)[0].rsplit("/", 1)[-1]
        if name in _VENDORED:
            return f"<{tag}>\n{_asset(name)}\n</{tag}>"
        if _DROPPABLE.search(url):
            return ""
        unknown.append(url)
        return match.group(0)

    html = _SCRIPT_SRC.sub(functools.partial(replace, tag="script"), html)
    html = _LINK_CSS.sub(functools.partial(replace, tag="style"), html)
    if unknown:
        listed = ", ".join(map(repr, unknown))
        msg = (
            f"Cannot save this map offline: it links assets afghangeo does not ship ({listed}). "
            "Remove the plugin that needs them or call save_map(..., offline=False)."
        )
        raise InvalidInputError(msg)
    return html
