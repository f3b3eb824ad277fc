"""Sphinx configuration of the afghangeo documentation (builds offline).

Build: ``sphinx-build -W --keep-going -n -b html docs docs/_build/html``.

Everything that follows the code is generated here, into ``docs/_generated/``, on each
build: the API page (every name in ``afghangeo.__all__``, grouped by the module that
defines it), the CLI reference (the parser's own ``--help`` texts), the gallery page
(the quick-start notebook's cells, not executed) and the changelog (``CHANGELOG.md``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"
sys.path.insert(0, str(ROOT))

import afghangeo  # noqa: E402

project = "afghangeo"
author = "afghangeo developers"
copyright = "afghangeo developers"
release = afghangeo.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# Offline: no inventory is fetched, so references to other projects are not links.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False
# Types in Parameters sections stay text: without inventories, links to str, float or
# pandas.DataFrame cannot resolve, and nitpicky mode would fail on each.
numpydoc_xref_param_type = False

nitpicky = True
# Names of other projects: without intersphinx inventories they cannot resolve.
# Only third-party and standard-library names belong here, never afghangeo's own.
_THIRD_PARTY = (
    "pandas", "pd", "geopandas", "gpd", "numpy", "np", "shapely", "folium", "branca",
    "matplotlib", "geopy", "dask", "dask_geopandas", "pyproj", "os", "pathlib",
    "collections", "typing", "datetime", "enum", "array", "array-like", "ndarray",
)  # fmt: skip
nitpick_ignore_regex = [
    (r"py:.*", rf"({'|'.join(_THIRD_PARTY)})(\..*)?"),
    (r"py:.*", r"(DataFrame|GeoDataFrame|GeoSeries|Series|Index|Timestamp|Period)"),
    (r"py:.*", r"(Map|Figure|Point|BaseGeometry|Geometry|PathLike|Path)"),
    (r"py:.*", r"(str|int|float|bool|object|bytes|dict|list|tuple|set|type|callable)"),
    (r"py:.*", r"(Any|Hashable|Iterable|Mapping|Sequence|Literal|Callable|Iterator)"),
    (r"py:.*", r"(path|path-like|file|array_like|scalar|mapping|iterable|sequence)"),
    (r"py:.*", r"(ValueError|LookupError|OSError|KeyError|TypeError|UserWarning)"),
]

html_theme = "furo"
html_title = f"afghangeo {release}"
html_static_path: list[str] = []
templates_path = ["_templates"]  # a class page: its docstring and methods

# ---------------------------------------------------------------------------------
# Pages generated from the code

#: API groups: the module that defines a name decides its group, so that a name added
#: to ``afghangeo.__all__`` later appears without editing this file.
API_GROUPS: dict[str, tuple[str, ...]] = {
    "Places and geocoding": (
        "afghangeo.place", "afghangeo.geocoder", "afghangeo.geocode", "afghangeo.names",
    ),
    "Boundaries": ("afghangeo.admin", "afghangeo.locate"),
    "Incidents and counts": ("afghangeo.incidents", "afghangeo.counts", "afghangeo.events"),
    "Text": ("afghangeo.extract", "afghangeo.corpus"),
    "Maps": ("afghangeo.maps", "afghangeo.plot"),
    "Gazetteers": ("afghangeo.registry", "afghangeo.user_gazetteer", "afghangeo.gazetteer"),
    "Errors and warnings": ("afghangeo.errors",),
}  # fmt: skip
OTHER_GROUP = "Other"


def _write(path: Path, text: str) -> None:
    """Write only on change, so that Sphinx does not rebuild what did not change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def api_groups() -> dict[str, list[str]]:
    """Every public name of afghangeo (except ``__version__``), by group."""
    groups: dict[str, list[str]] = {name: [] for name in [*API_GROUPS, OTHER_GROUP]}
    for name in sorted(afghangeo.__all__, key=str.lower):
        if name == "__version__":
            continue
        module = getattr(getattr(afghangeo, name), "__module__", "")
        group = next((g for g, mods in API_GROUPS.items() if module in mods), OTHER_GROUP)
        groups[group].append(name)
    return {group: names for group, names in groups.items() if names}


def write_api() -> None:
    """``_generated/api.rst``: one autosummary table per group, one page per name."""
    lines = [
        "API reference",
        "=============",
        "",
        "Every name exported by ``afghangeo`` (``import afghangeo as ag``). The version",
        f"is ``ag.__version__`` (this build: ``{release}``).",
        "",
        ".. currentmodule:: afghangeo",
        "",
    ]
    for group, names in api_groups().items():
        lines += [group, "-" * len(group), "", ".. autosummary::", "   :toctree: api", ""]
        lines += [f"   {name}" for name in names]
        lines.append("")
    _write(GENERATED / "api.rst", "\n".join(lines))


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:  # argparse has no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((name, sub))
                found += [(f"{name} {n}", p) for n, p in _subcommands(sub)]
    return found


def write_cli() -> None:
    """``_generated/cli_help.md``: the ``--help`` of the command and every subcommand."""
    from afghangeo import cli

    saved = {k: os.environ.get(k) for k in ("COLUMNS", "AFGHANGEO_DATA_DIR")}
    os.environ["COLUMNS"] = "88"
    os.environ["AFGHANGEO_DATA_DIR"] = "<data folder>"
    try:
        parser = cli.parser()
        parts = [("afghangeo", parser), *_subcommands(parser)]
        text = [
            "# Command reference",
            "",
            "The `--help` of `afghangeo` and of each subcommand, generated from the parser",
            "when these pages are built. See {doc}`../guide/cli` for an overview.",
            "",
        ]
        for name, sub in parts:
            title = f"`afghangeo {name}`" if name != "afghangeo" else "`afghangeo`"
            text += [f"## {title}", "", "```text", sub.format_help().rstrip(), "```", ""]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    _write(GENERATED / "cli_help.md", "\n".join(text))


def write_gallery() -> None:
    """``_generated/quickstart.md``: the notebook's cells as a page (not executed)."""
    import nbformat

    notebook = nbformat.read(ROOT / "notebooks" / "quickstart.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    parts = []
    for cell in notebook.cells:
        source = cell.source.strip("\n")
        if cell.cell_type == "markdown":
            parts.append(source)
        elif cell.cell_type == "code" and source:
            # a directive, not a ```python fence: the notebook's code is not ours to
            # reformat, and ruff formats fenced Python in Markdown files
            parts.append(f"```{{code-block}} python\n{source}\n```")
    note = (
        "*This page shows the cells of `notebooks/quickstart.ipynb`; open the notebook "
        "in Jupyter to run them and see the tables and maps. The test suite runs it.*"
    )
    parts.insert(1, note)
    _write(GENERATED / "quickstart.md", "\n\n".join(parts) + "\n")


def write_changelog() -> None:
    """``_generated/CHANGELOG.md``: the top-level changelog, or a stub until it exists."""
    source = ROOT / "CHANGELOG.md"
    target = GENERATED / "CHANGELOG.md"
    if source.exists():
        _write(target, source.read_text(encoding="utf-8"))
    else:
        _write(target, "# Changelog\n\nNo changelog has been written yet.\n")


def _clean_stubs() -> None:
    """Drop autosummary pages of names no longer exported (they would be orphans)."""
    folder = GENERATED / "api"
    if folder.exists():
        keep = {f"afghangeo.{name}.rst" for name in afghangeo.__all__}
        for page in folder.glob("*.rst"):
            if page.name not in keep:
                page.unlink()


_clean_stubs()
write_api()
write_cli()
write_gallery()
write_changelog()


def _exported_path(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``afghangeo.<module>.<name>`` to its documented ``afghangeo.<name>``.

    Docstrings may name a public object by the module that defines it; the API pages
    document it where users import it from. Only names in ``afghangeo.__all__`` are
    resolved, so a reference to anything else still fails the build.
    """
    if node.get("refdomain") != "py":
        return None
    parts = node.get("reftarget", "").split(".")
    exported = set(afghangeo.__all__)
    if len(parts) != 3 or parts[0] != "afghangeo" or parts[1] in exported:
        return None
    if parts[2] not in exported:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env,
        node["refdoc"],
        app.builder,
        node["reftype"],
        f"afghangeo.{parts[2]}",
        node,
        contnode,
    )


def setup(app: Any) -> dict[str, bool]:
    """Register the resolver of module-qualified names."""
    app.connect("missing-reference", _exported_path)
    return {"parallel_read_safe": True}
