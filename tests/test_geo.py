from __future__ import annotations

import numpy as np
import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._geo import great_circle_km


@settings(max_examples=200, deadline=None)
@given(st.floats(-89, 89), st.floats(-179, 179), st.floats(-89, 89), st.floats(-179, 179))
def test_great_circle_km_is_geopys_great_circle(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    expected = great_circle((lat1, lon1), (lat2, lon2)).km
    assert great_circle_km(lat1, lon1, lat2, lon2) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    vector = great_circle_km(np.array([lat1]), np.array([lon1]), np.array([lat2]), [lon2])
    assert vector[0] == pytest.approx(expected, rel=1e-9, abs=1e-6)
