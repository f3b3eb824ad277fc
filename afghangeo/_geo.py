"""Small geometry helpers shared by the geocoder, the extractor and the counts.

One earth radius for every distance (geopy's mean radius), scalar or vectorized.
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "great_circle_km"]

#: geopy's mean earth radius (``geopy.distance.EARTH_RADIUS``), in km.
EARTH_RADIUS_KM = 6371.009


@overload
def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def great_circle_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> Any: ...
def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km, as ``geopy.distance.great_circle`` gives it.

    Floats give a float (computed with :mod:`math`: this runs in the text extractor's
    inner loop); arrays give an array, element by element.

    Examples
    --------
    >>> round(great_circle_km(31.5938, 64.3716, 31.34, 64.44))  # Lashkar Gah - Nawa
    29
    >>> great_circle_km([31.59, 34.5], [64.37, 69.2], [31.59, 34.5], [64.37, 69.2]).tolist()
    [0.0, 0.0]
    """
    if all(isinstance(v, (int, float)) for v in (lat1, lon1, lat2, lon2)):
        p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    p1, l1, p2, l2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
