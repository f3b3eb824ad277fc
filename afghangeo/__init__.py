"""afghangeo: Afghan place names, boundaries, incident counts and maps.

>>> import afghangeo as ag
>>> ag.normalize_province("Hilmand")
'Helmand'
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from afghangeo.admin import (
    districts,
    locate,
    normalize_district,
    normalize_province,
    normalize_provinces,
    provinces,
)
from afghangeo.counts import count_by_district, count_by_province, dedupe_incidents
from afghangeo.errors import (
    AfghangeoError,
    AmbiguousPlaceError,
    DataError,
    InvalidInputError,
    UnknownPlaceError,
)
from afghangeo.extract import Mention, extract_incidents, extract_places
from afghangeo.gazetteer import Gazetteer
from afghangeo.geocoder import geocode, geocode_many
from afghangeo.incidents import read_incidents
from afghangeo.maps import choropleth_map, incident_map, plot_counts, save_map
from afghangeo.names import fold_name, name_key
from afghangeo.place import Place
from afghangeo.user_gazetteer import load_gazetteer

try:
    __version__ = version("afghangeo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

logging.getLogger("afghangeo").addHandler(logging.NullHandler())

__all__ = [
    "AfghangeoError",
    "AmbiguousPlaceError",
    "DataError",
    "Gazetteer",
    "InvalidInputError",
    "Mention",
    "Place",
    "UnknownPlaceError",
    "__version__",
    "choropleth_map",
    "count_by_district",
    "count_by_province",
    "dedupe_incidents",
    "districts",
    "extract_incidents",
    "extract_places",
    "fold_name",
    "geocode",
    "geocode_many",
    "incident_map",
    "load_gazetteer",
    "locate",
    "name_key",
    "normalize_district",
    "normalize_province",
    "normalize_provinces",
    "plot_counts",
    "provinces",
    "read_incidents",
    "save_map",
]
