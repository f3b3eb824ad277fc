"""The synthetic-incident generator of ``examples/make_synthetic.py``, for the tests."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@functools.cache
def synthetic() -> ModuleType:
    """The ``make_synthetic`` module, loaded once from the examples folder."""
    spec = importlib.util.spec_from_file_location("make_synthetic", EXAMPLES / "make_synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_synthetic", module)
    spec.loader.exec_module(module)
    return module
