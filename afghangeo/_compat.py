"""Optional dependencies, imported only when a feature needs them."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(name: str, extra: str) -> ModuleType:
    """Import `name`, or raise an ImportError that says which extra installs it."""
    try:
        return importlib.import_module(name)
    except ImportError as err:
        msg = f"{name!r} is needed here: pip install 'afghangeo[{extra}]'"
        raise ImportError(msg) from err
