"""Packaging, the public surface, errors and the promise of no network."""

from __future__ import annotations

import pickle
import socket
import subprocess
import sys

import pytest

import afghangeo as ag
from afghangeo import errors


def test_public_names_exist() -> None:
    for name in ag.__all__:
        assert hasattr(ag, name), name
    assert len(set(ag.__all__)) == len(ag.__all__)


def test_import_is_light() -> None:
    heavy = ("folium", "branca", "rapidfuzz", "geopy", "matplotlib")
    code = f"import sys, afghangeo; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.InvalidInputError, ValueError),
        (errors.UnknownPlaceError, LookupError),
        (errors.AmbiguousPlaceError, LookupError),
        (errors.DataError, OSError),
    ],
)
def test_errors_are_builtins_too(cls: type, builtin: type) -> None:
    assert issubclass(cls, errors.AfghangeoError)
    assert issubclass(cls, builtin)


def test_errors_carry_data_and_pickle() -> None:
    err = errors.UnknownPlaceError("Helmund", ["Helmand"], kind="province")
    again = pickle.loads(pickle.dumps(err))
    assert (again.name, again.suggestions, again.kind) == ("Helmund", ("Helmand",), "province")
    assert str(again) == str(err) == "Unknown province 'Helmund'. Did you mean 'Helmand'?"
    amb = errors.AmbiguousPlaceError("Nawa", ["Nawa (Ghazni)", "Nawa-i-Barakzayi (Helmand)"])
    assert pickle.loads(pickle.dumps(amb)).candidates == amb.candidates
    assert "Pass province=" in str(amb)


def test_the_suite_blocks_the_network() -> None:
    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError, match="DNS lookup attempted"):
        socket.getaddrinfo("example.org", 80)
