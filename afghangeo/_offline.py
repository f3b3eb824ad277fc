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
# vendored file -> the base names of the addresses it stands for (folium, its plugins)
_ALIASES: dict[str, tuple[str, ...]] = {
    "leaflet.js": ("leaflet.js",),
    "leaflet.css": ("leaflet.css",),
    "leaflet.markercluster.js": ("leaflet.markercluster.js",),
    "MarkerCluster.css": ("MarkerCluster.css",),
    "MarkerCluster.Default.css": ("MarkerCluster.Default.css",),
    "leaflet-heat.js": ("leaflet-heat.js", "leaflet_heat.min.js"),
    "jquery.min.js": ("jquery-3.7.1.min.js", "jquery.min.js"),
    "bootstrap.bundle.min.js": ("bootstrap.bundle.min.js",),
    "bootstrap.min.css": ("bootstrap.min.css",),
    "leaflet.awesome-markers.js": ("leaflet.awesome-markers.js",),
    "leaflet.awesome-markers.css": ("leaflet.awesome-markers.css",),
}
_VENDORED = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
# folium's default icon-font style sheets: inlined (Font Awesome) or refused (glyphicons,
# rotated icons) when the page uses them, dropped from the file when it does not.
_ICON_CSS = re.compile(r"bootstrap-glyphicons|fontawesome|font-awesome|awesome\.rotate", re.I)
_USES = {
    "glyphicons": re.compile(r"\"prefix\":\s*\"glyphicon\"|class=[\"'][^\"']*\bglyphicon\b"),
    "fontawesome": re.compile(
        r"\"prefix\":\s*\"fa\"|class=[\"'][^\"']*\b(?:fa[srb]?|fa-solid|fa-regular|fa-brands)\b"
    ),
    "awesome.rotate": re.compile(r"\bfa-rotate-(?!0\b)\d+"),
}
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""")
_LINK_CSS = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>""")
_SOURCE_MAP = re.compile(r"^\s*(?://# sourceMappingURL=.*|/\*# sourceMappingURL=.*\*/)$", re.M)
_CSS_URL = re.compile(r"url\((['\"]?)((?:images|\.\./webfonts)/[\w.@-]+\.(png|woff2))\1\)")
_TTF = re.compile(r',url\(\.\./webfonts/[\w.-]+\.ttf\) format\("truetype"\)')
_MIME = {"png": "image/png", "woff2": "font/woff2"}
_ICON = ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
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


def _data_uri(path: Any, kind: str) -> str:
    return f"data:{_MIME[kind]};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@functools.cache
def _asset(name: str) -> str:
    """A vendored asset's text, ready to inline.

    Source maps are dropped; the images and fonts a style sheet links become data URIs
    (Font Awesome's TrueType fallbacks are dropped, every browser takes its WOFF2);
    Leaflet is followed by the default marker icons as data URIs, since Leaflet finds
    them by a path relative to its style sheet, which an inlined page does not have.
    """
    folder = files("afghangeo") / "data" / "vendor"
    text = _SOURCE_MAP.sub("", (folder / name).read_text(encoding="utf-8"))
    if name.endswith(".css"):
        text = _TTF.sub("", text)
        text = _CSS_URL.sub(
            lambda m: f"url({_data_uri(folder / m.group(2).removeprefix('../'), m.group(3))})",
            text,
        )
    if name == "leaflet.js":
        icon, retina, shadow = (_data_uri(folder / "images" / png, "png") for png in _ICON)
        options = js_json({"iconUrl": icon, "iconRetinaUrl": retina, "shadowUrl": shadow})
        text += f'\nL.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({options});\n'
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
        The same page with Leaflet and its plugins (MarkerCluster, heat,
        awesome-markers), jQuery, Bootstrap and Font Awesome inlined, and the icon
        fonts the page does not use removed.

    Raises
    ------
    InvalidInputError
        If the page links an asset that afghangeo does not ship (a folium plugin
        such as Fullscreen, glyphicon icons, rotated icons); the message lists them
        all on one line. Save such a map with ``offline=False``.

    Examples
    --------
    >>> page = inline_assets(f'<script src="{JS["heat"]}"></script><p>map</p>')
    >>> page.startswith("<script>") and "simpleheat" in page and "src=" not in page
    True
    """
    unknown: list[str] = []
    used = {name for name, pattern in _USES.items() if pattern.search(html)}

    def replace(match: re.Match[str], *, tag: str) -> str:
        url = match.group(1)
        if not _is_external(url):
            return match.group(0)
        name = _VENDORED.get(url.split("?", 1)[0].rsplit("/", 1)[-1])
        if _ICON_CSS.search(url):
            font = next((u for u in _USES if u in url.lower().replace("-", "")), None)
            if font is None or font not in used:
                return ""  # an icon font the page does not use
            name = "fontawesome.all.min.css" if font == "fontawesome" else None
        if name is not None:
            return f"<{tag}>\n{_asset(name)}\n</{tag}>"
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
        if any("glyphicons" in u for u in unknown):
            msg += " For icons, folium.Icon(prefix='fa', icon=...) works offline."
        raise InvalidInputError(msg)
    return html
