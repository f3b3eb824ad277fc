"""A geopy geocoder backed by afghangeo's offline gazetteer, with an opt-in fallback.

geopy users switch with one line::

    from afghangeo.geopy import Afghangeo
    geolocator = Afghangeo()                       # instead of Nominatim(...)
    geolocator.geocode("Lashkargah").point         # geopy Location, offline

``Afghangeo(fallback=Nominatim(user_agent=...))`` asks that geocoder only when the
local index abstains, through :class:`afghangeo.online.OnlineFallback`: rate-limited, cached
on disk (each name is looked up online at most once), answers outside Afghanistan
dropped, marked ``raw["source"] == "online:<service>"``. Nothing here touches the
network unless a fallback is given.
"""

from __future__ import annotations

import os
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from afghangeo.errors import InvalidInputError
from afghangeo.geocoder import geocode, geocode_with_rivals
from afghangeo.locate import locate
from afghangeo.online import OnlineFallback
from afghangeo.place import Place

__all__ = ["Afghangeo"]


def _location(place: Place) -> Location:
    where = ", ".join(x for x in (place.name, place.district, place.province) if x)
    online = place.source.startswith("online")
    raw = place.to_dict() | {"source": place.source if online else "afghangeo"}
    return Location(f"{where}, Afghanistan", (place.lat, place.lon), raw)


def _lat_lon(query: Any) -> tuple[float, float]:
    """(lat, lon) of a geopy Point, a (lat, lon) pair or a "lat, lon" string."""
    try:
        if isinstance(query, Point):
            return float(query.latitude), float(query.longitude)
        if isinstance(query, str):
            lat, lon = (float(v) for v in query.split(","))
            return lat, lon
        lat, lon = query[0], query[1]
        return float(lat), float(lon)
    except (TypeError, ValueError, IndexError) as err:
        msg = f"reverse() takes a geopy Point, (lat, lon) or 'lat, lon'; got {query!r}."
        raise InvalidInputError(msg) from err


class Afghangeo(Geocoder):  # type: ignore[misc]
    """geopy ``Geocoder`` answering from afghangeo's bundled and user gazetteers.

    Parameters
    ----------
    fallback : geopy geocoder, callable or afghangeo.online.OnlineFallback, optional
        Asked only when the local gazetteer abstains. Default: none (fully offline).
    min_score : float, optional
        Local answers scoring lower are treated as no answer; by default the
        calibrated abstention of :func:`afghangeo.geocode`.
    cache : str or path-like, optional
        SQLite file caching fallback answers; default ``<data dir>/online_cache.sqlite``.
    min_delay_seconds : float, default 1.0
        Pause between two online requests.

    Examples
    --------
    >>> from afghangeo.geopy import Afghangeo
    >>> loc = Afghangeo().geocode("Lashkargah")
    >>> loc.address.endswith("Lashkar Gah, Helmand, Afghanistan"), round(loc.latitude, 2)
    (True, 31.59)
    >>> Afghangeo().reverse("31.5938, 64.3716").address
    'Lashkar Gah, Helmand, Afghanistan'
    """

    def __init__(
        self,
        *,
        fallback: Any = None,
        min_score: float | None = None,
        cache: str | os.PathLike[str] | None = None,
        min_delay_seconds: float = 1.0,
    ) -> None:
        super().__init__(user_agent="afghangeo")
        if fallback is not None and not isinstance(fallback, OnlineFallback):
            fallback = OnlineFallback(fallback, cache=cache, min_delay_seconds=min_delay_seconds)
        self.fallback: OnlineFallback | None = fallback
        self.min_score = min_score

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
        # a list may hold rivals that a single answer could not be chosen among
        ask = geocode if exactly_one else geocode_with_rivals
        place = ask(query, province=province, near=near, min_score=self.min_score)
        if place is None and self.fallback is not None:
            place = self.fallback(query)
        if place is None:
            return None
        found = _location(place)
        if exactly_one:
            return found
        return [found, *map(_location, place.alternatives)]

    def reverse(
        self, query: Any, *, exactly_one: bool = True, timeout: Any = None
    ) -> Location | list[Location] | None:
        """District and province containing a point, or None outside Afghanistan.

        `query` is a geopy ``Point``, a ``(lat, lon)`` pair or a ``"lat, lon"`` string.
        """
        lat, lon = _lat_lon(query)
        row = locate(lon=[lon], lat=[lat]).iloc[0]
        if row["status"] != "ok":
            return None
        address = f"{row['district']}, {row['province']}, Afghanistan"
        raw = {"province": row["province"], "district": row["district"], "source": "afghangeo"}
        loc = Location(address, (lat, lon), raw)
        return loc if exactly_one else [loc]
