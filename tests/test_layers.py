"""The import layers: a module never imports one of a higher layer (STYLE, section 3).

Each module of ``afghangeo/`` is given a layer; importing a module of a higher layer,
at module level or inside a function, fails this test. Modules of one layer may import
each other only if listed as allowed below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "afghangeo"

#: Lowest first. A module may import modules of its own layer or lower ones.
LAYERS: list[set[str]] = [
    {"errors", "_version", "_vocab", "_files", "_geo", "_compat", "_checks"},
    {"_data", "names", "_grid", "_generic"},
    {"_csv", "_cells", "_columns", "_output", "_offline", "_columnar"},
    {"admin", "_districtnames"},
    {"locate"},
    {"gazetteer", "place", "_gazfiles", "_compiled", "_calibration", "_query", "_display"},
    {"registry", "_decide"},
    {"geocoder", "download"},
    {"batch", "online", "_placement"},
    {"incidents", "_text", "extract", "corpus"},
    {"_frames", "counts", "events"},
    {"_mapdata", "_mapshapes", "_mapcontext", "_folium", "maps", "plot"},
    {"geopy", "adapters", "_commands"},
    {"cli", "__main__", "__init__"},
]


def _module_name(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _layer(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"module afghangeo.{name} has no layer in tests/test_layers.py")


def _imports(path: Path) -> set[str]:
    """The afghangeo modules `path` imports (top-level names under afghangeo)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "afghangeo" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "afghangeo":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from afghangeo import x
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level > 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down(path: Path) -> None:
    name = _module_name(path)
    if name in ("__init__", "__main__"):
        return
    mine = _layer(name)
    higher = sorted(other for other in _imports(path) if other != name and _layer(other) > mine)
    assert not higher, f"afghangeo.{name} imports higher layers: {higher}"


def test_the_package_itself_is_imported_only_by_the_top() -> None:
    for path in MODULES:
        name = _module_name(path)
        if name in ("__init__", "__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "afghangeo":
                names = {a.name for a in node.names}
                assert names <= {m for layer in LAYERS for m in layer}, (path, names)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 420, f"{path.name} has {lines} lines; split it along a seam (house limit ~400)"
