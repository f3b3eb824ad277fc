"""afghangeo: Afghan place names, boundaries, incident counts and maps.

>>> import afghangeo as ag
>>> ag.normalize_province("Hilmand")
'Helmand'
"""

from __future__ import annotations

import logging

from afghangeo._version import __version__
from afghangeo.admin import (
    districts,
    normalize_district,
    normalize_province,
    normalize_provinces,
    provinces,
)
from afghangeo.batch import geocode_many
from afghangeo.corpus import extract_corpus
from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import (
    AfghangeoError,
    AmbiguousPlaceError,
    DataError,
    DownloadError,
    DroppedRowsWarning,
    GazetteerWarning,
    InvalidInputError,
    UnknownPlaceError,
)
from afghangeo.events import dedupe_incidents
from afghangeo.extract import Mention, extract_incidents, extract_places
from afghangeo.geocoder import geocode
from afghangeo.incidents import read_incidents
from afghangeo.locate import locate
from afghangeo.maps import choropleth_map, incident_map, save_map
from afghangeo.names import fold_name, name_key
from afghangeo.online import OnlineFallback
from afghangeo.place import Place
from afghangeo.plot import plot_counts, save_figure
from afghangeo.registry import (
    GazetteerInfo,
    add_gazetteer,
    list_gazetteers,
    remove_gazetteer,
)

logging.getLogger("afghangeo").addHandler(logging.NullHandler())

__all__ = [
    "AfghangeoError",
    "AmbiguousPlaceError",
    "DataError",
    "DownloadError",
    "DroppedRowsWarning",
    "GazetteerInfo",
    "GazetteerWarning",
    "InvalidInputError",
    "Mention",
    "OnlineFallback",
    "Place",
    "UnknownPlaceError",
    "__version__",
    "add_gazetteer",
    "choropleth_map",
    "count_by_district",
    "count_by_province",
    "dedupe_incidents",
    "districts",
    "extract_corpus",
    "extract_incidents",
    "extract_places",
    "fold_name",
    "geocode",
    "geocode_many",
    "incident_map",
    "list_gazetteers",
    "locate",
    "name_key",
    "normalize_district",
    "normalize_province",
    "normalize_provinces",
    "plot_counts",
    "provinces",
    "read_incidents",
    "remove_gazetteer",
    "save_figure",
    "save_map",
]
