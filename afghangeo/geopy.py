"""A geopy geocoder backed by afghangeo's offline gazetteer, with an opt-in fallback.

geopy users switch with one line::

    from afghangeo.geopy import Afghangeo
    geolocator = Afghangeo()                       # instead of Nominatim(...)
    geolocator.geocode("Lashkargah").point         # geopy Location, offline

``Afghangeo(fallback=some_geopy_geocoder)`` asks that geocoder (e.g. Nominatim wrapped in
geopy's RateLimiter) only when the local index has no answer; its answers are kept
only when they fall inside Afghanistan, are marked ``raw["source"] == "online"`` and
are cached on disk, so each name is looked up online at most once. Nothing here
touches the network unless a fallback is given.
"""

from __future__ import annotations

import json
import os
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from afghangeo.geocoder import geocode
from afghangeo.locate import locate
from afghangeo.names import fold_name
from afghangeo.place import Place
from afghangeo.registry import data_dir

__all__ = ["Afghangeo"]


def _location(place: Place) -> Location:
    where = ", ".join(x for x in (place.name, place.district, place.province) if x)
    raw = place.to_dict() | {"source": "afghangeo"}
    return Location(f"{where}, Afghanistan", (place.lat, place.lon), raw)


class Afghangeo(Geocoder):  # type: ignore[misc]
    """geopy ``Geocoder`` answering from afghangeo's bundled and user gazetteers.

    Parameters
    ----------
    fallback : geopy.geocoders.base.Geocoder or callable, optional
        Asked only when the local gazetteer abstains. Default: none (fully offline).
    min_score : float, default 0.0
        Local answers scoring lower are treated as no answer.
    cache : str or path-like, optional
        JSON file caching fallback answers; default ``<data dir>/online_cache.json``.

    Examples
    --------
    >>> from afghangeo.geopy import Afghangeo
    >>> loc = Afghangeo().geocode("Lashkargah")
    >>> loc.address, round(loc.latitude, 2)
    ('Lashkar Gāh, Lashkar Gah, Helmand, Afghanistan', 31.59)
    """

    def __init__(
        self,
        *,
        fallback: Any = None,
        min_score: float = 0.0,
        cache: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(user_agent="afghangeo")
        self.fallback = fallback
        self.min_score = min_score
        self._cache_path = os.fspath(cache) if cache is not None else None

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        province: str | None = None,
        near: Any = None,
    ) -> Location | list[Location] | None:
        """Geocode `query`; with ``exactly_one=False`` the alternatives follow the best."""
        place = geocode(query, province=province, near=near, min_score=self.min_score)
        if place is not None:
            if exactly_one:
                return _location(place)
            return [_location(place), *map(_location, place.alternatives)]
        if self.fallback is None:
            return None
        found = self._online(query)
        if found is None:
            return None
        return found if exactly_one else [found]

    def reverse(
        self, query: Any, *, exactly_one: bool = True, timeout: Any = None
    ) -> Location | list[Location] | None:
        """District and province containing a ``(lat, lon)`` point, or None outside."""
        lat, lon = (float(v) for v in (query if not isinstance(query, str) else query.split(",")))
        row = locate(lon=[lon], lat=[lat]).iloc[0]
        if row["status"] != "ok":
            return None
        address = f"{row['district']}, {row['province']}, Afghanistan"
        raw = {"province": row["province"], "district": row["district"], "source": "afghangeo"}
        loc = Location(address, (lat, lon), raw)
        return loc if exactly_one else [loc]

    # -- the opt-in online fallback -------------------------------------------------
    def _cache_file(self) -> str:
        return self._cache_path or os.fspath(data_dir() / "online_cache.json")

    def _online(self, query: str) -> Location | None:
        path = self._cache_file()
        try:
            with open(path, encoding="utf-8") as fh:
                cache: dict[str, Any] = json.load(fh)
        except (OSError, ValueError):
            cache = {}
        key = fold_name(query)
        if key not in cache:
            ask = getattr(self.fallback, "geocode", self.fallback)
            answer = ask(f"{query}, Afghanistan")
            cache[key] = None
            if answer is not None:
                row = locate(lon=[answer.longitude], lat=[answer.latitude]).iloc[0]
                if row["status"] == "ok":  # answers outside Afghanistan are dropped
                    cache[key] = {
                        "address": answer.address,
                        "lat": answer.latitude,
                        "lon": answer.longitude,
                        "province": row["province"],
                        "district": row["district"],
                    }
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            tmp = f"{path}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(cache, fh, ensure_ascii=False)
            os.replace(tmp, path)
        hit = cache[key]
        if hit is None:
            return None
        raw = hit | {"source": "online", "precision": "place"}
        return Location(hit["address"], (hit["lat"], hit["lon"]), raw)
