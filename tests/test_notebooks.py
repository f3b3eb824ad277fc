"""The notebooks in ``notebooks/``: committed clean, and run top to bottom, offline.

Each notebook is executed in a fresh kernel of *this* interpreter (ipykernel's own
kernelspec, whatever ``python3`` kernels are installed elsewhere) with the working
tree first on ``PYTHONPATH``, so it tests this checkout and not an older installed
afghangeo. The kernel's current directory is the notebook's folder, as in Jupyter
(and nbmake). A first cell, not saved anywhere, refuses every network connection and
turns warnings raised from afghangeo or from the notebook's own code into errors, and
checks that the kernel runs this interpreter and imports this checkout's afghangeo.
The notebook reads as a tutorial: its checks are not in it but in :data:`CHECKS`, a
last cell the test appends, which asserts on the variables the tutorial made.

``pytest --nbmake notebooks`` runs them too (with the ``python3`` kernelspec found).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

CHECKS = {
    "quickstart.ipynb": """\
assert names["province"].tolist() == ["Helmand", "Badghis", "Helmand"]
assert lashkar_gah.province == "Helmand" and lashkar_gah.status == "matched"
assert nawa_helmand.province == "Helmand"
assert badghis.precision == "province"
status = places.set_index("input")["status"]
assert status["Lashkar Gah"] == "matched" and status["Doha"] == "not_found"
assert len(incidents) == 5 and incidents["province"].notna().all()
assert counts["count"].sum() == len(incidents) and len(counts) == 35
assert counts.set_index("province").loc["Badghis", "killed"] == 13
assert "cdn.jsdelivr" not in counts_map._repr_html_()
assert "<script src=" not in page and "Lashkar Gah" in page
found = {m.text: m for m in mentions}
assert found["Nawa"].province == "Helmand" and found["KABUL"].role == "dateline"
assert found["Doha"].foreign
assert set(from_text["province"]) == {"Badghis", "Helmand"}
assert text_counts["count"].sum() == len(from_text)
""",
}

GUARD = """\
import socket as _socket
import warnings as _warnings

_real_connect = _socket.socket.connect


def _no_network(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family != _socket.AF_UNIX and host not in ("127.0.0.1", "::1", "localhost"):
        raise ConnectionRefusedError(f"network access attempted in a notebook: {address!r}")
    return _real_connect(self, address)


_socket.socket.connect = _no_network
_socket.socket.connect_ex = _no_network
_warnings.filterwarnings("error", module=r"afghangeo|__main__")
"""


def test_there_are_notebooks() -> None:
    assert "quickstart.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], cell.source
        assert cell.execution_count is None, cell.source
        assert "assert " not in cell.source, "checks belong in CHECKS, not in the tutorial"
    assert path.name in CHECKS
    assert "\r" not in path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, monkeypatch: pytest.MonkeyPatch, loopback: None) -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(path, as_version=4)
    here = (
        "import sys, afghangeo\n"
        f"assert sys.executable == {sys.executable!r}, sys.executable\n"
        f"assert afghangeo.__file__.startswith({str(ROOT / 'afghangeo')!r}), afghangeo.__file__\n"
    )
    nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD + here))
    nb.cells.append(nbformat.v4.new_code_cell(CHECKS[path.name]))
    pythonpath = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *filter(None, [pythonpath])]))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's frozen-module note

    class ThisPython(KernelManager):  # type: ignore[misc]
        """No kernel folders: only ipykernel's built-in spec, which runs sys.executable."""

        def __init__(self, **kwargs: Any) -> None:
            specs = KernelSpecManager(kernel_dirs=[])
            super().__init__(kernel_spec_manager=specs, **kwargs)
            assert self.kernel_spec.argv[0] == sys.executable

    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        kernel_manager_class=ThisPython,
        resources={"metadata": {"path": str(path.parent)}},
    )
    before = sorted(p.name for p in path.parent.iterdir())
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    stderr: list[str] = [o["text"] for c in code for o in c.outputs if o.get("name") == "stderr"]
    assert not [t for t in stderr if "Warning" in t], stderr
    assert sorted(p.name for p in path.parent.iterdir()) == before, "the notebook left files"
