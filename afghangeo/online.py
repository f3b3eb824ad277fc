"""The opt-in online fallback: a geopy geocoder asked only for names afghangeo lacks.

Nothing here runs unless a user passes a :class:`OnlineFallback` (``geocode_many(...,
fallback=...)``, ``read_incidents(..., fallback=...)``, ``afghangeo geocode --online
nominatim``, or the geopy adapter). A fallback

- asks its geopy geocoder at most once per name: answers (and "no answer") are kept
  in an SQLite cache in the data folder, safe for several processes;
- waits ``min_delay_seconds`` between requests (geopy's ``RateLimiter``), as
  Nominatim's usage policy asks;
- keeps only answers inside Afghanistan, with their province and district from the
  boundaries; and
- gives them ``source="online:<service>"``, status ``"matched"`` and score NaN: the
  online service's confidence is not on afghangeo's calibrated scale.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from afghangeo.errors import DownloadError, InvalidInputError
from afghangeo.locate import locate
from afghangeo.names import fold_name
from afghangeo.place import Place
from afghangeo.registry import data_dir

__all__ = ["OnlineFallback", "fallback_for"]

# Nominatim's address types, as precision levels
_AREA_TYPES = {"state": "province", "province": "province", "county": "district",
               "district": "district", "municipality": "district"}  # fmt: skip


class OnlineFallback:
    """An online geocoder for the names the offline gazetteer does not answer.

    Parameters
    ----------
    geocoder : geopy geocoder or callable
        E.g. ``geopy.geocoders.Nominatim(user_agent="my-newsroom")``; anything with
        a ``geocode(query)`` method (or a function) returning a geopy ``Location``.
    min_delay_seconds : float, default 1.0
        Pause between two requests.
    cache : str or path-like, optional
        SQLite file of answers; default ``<data dir>/online_cache.sqlite``.
    suffix : str, default ", Afghanistan"
        Added to each name asked.

    Examples
    --------
    >>> from geopy.location import Location
    >>> def service(query):  # stands in for Nominatim
    ...     return Location(query, (31.52, 64.12), {}) if "Zarghun" in query else None
    >>> import tempfile, os
    >>> online = OnlineFallback(service, min_delay_seconds=0,
    ...                   cache=os.path.join(tempfile.mkdtemp(), "c.sqlite"))
    >>> online("Zarghun Kalay").province, online("Nowhere at all")
    ('Helmand', None)
    """

    def __init__(
        self,
        geocoder: Any,
        *,
        min_delay_seconds: float = 1.0,
        cache: str | os.PathLike[str] | None = None,
        suffix: str = ", Afghanistan",
    ) -> None:
        ask = getattr(geocoder, "geocode", geocoder)
        if not callable(ask):
            msg = f"fallback must be a geopy geocoder or a function, got {type(geocoder).__name__}."
            raise InvalidInputError(msg)
        if min_delay_seconds > 0:
            from geopy.extra.rate_limiter import RateLimiter

            ask = RateLimiter(ask, min_delay_seconds=min_delay_seconds, max_retries=1)
        self._ask = ask
        self.service = type(geocoder).__name__ if hasattr(geocoder, "geocode") else "online"
        self._path = Path(cache) if cache is not None else None
        self.suffix = suffix
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def path(self) -> Path:
        """The SQLite cache file."""
        return self._path or data_dir() / "online_cache.sqlite"

    def _db(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT)")
        return db

    def __call__(self, name: str) -> Place | None:
        """The place `name` is, from the cache or the service; None outside Afghanistan."""
        key = f"{self.service}|{fold_name(name)}"
        with self._lock, self._db() as db:
            row = db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
            if row is None:
                answer = self._lookup(name)
                db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(answer))
                )
            else:
                answer = json.loads(row[0])
        return None if answer is None else self._place(answer)

    def _lookup(self, name: str) -> dict[str, Any] | None:
        self.calls += 1
        try:
            found = self._ask(f"{name}{self.suffix}")
        except Exception as err:  # geopy's errors, timeouts: one line, as a DownloadError
            msg = f"The online geocoder failed for {name!r}: {type(err).__name__}: {err}"
            raise DownloadError(msg) from err
        if found is None:
            return None
        lat, lon = float(found.latitude), float(found.longitude)
        where = locate(lon=[lon], lat=[lat]).iloc[0]
        if where["status"] != "ok":
            return None  # outside Afghanistan: rejected
        raw = getattr(found, "raw", {}) or {}
        kind = str(raw.get("addresstype") or raw.get("type") or "")
        return {
            "address": str(found.address), "lat": lat, "lon": lon,
            "province": where["province"], "district": where["district"],
            "precision": _AREA_TYPES.get(kind, "place"), "id": str(raw.get("place_id", "")),
        }  # fmt: skip

    def _place(self, answer: dict[str, Any]) -> Place:
        precision = answer.get("precision", "place")
        return Place(
            name=answer["address"].split(",")[0],
            province=answer["province"],
            district=None if precision == "province" else answer["district"],
            lat=answer["lat"],
            lon=answer["lon"],
            precision=precision,
            kind="site" if precision == "place" else precision,
            score=math.nan,
            source=f"online:{self.service}",
            source_id=answer.get("id", ""),
            status="matched",
        )


def fallback_for(name: str, **options: Any) -> OnlineFallback:
    """A :class:`OnlineFallback` for a service named on the command line (``nominatim``)."""
    if name.lower() != "nominatim":
        msg = f"Unknown online geocoder {name!r}; choose 'nominatim'."
        raise InvalidInputError(msg)
    from geopy.geocoders import Nominatim

    from afghangeo._version import __version__

    domain = os.environ.get("AFGHANGEO_NOMINATIM", "nominatim.openstreetmap.org")
    scheme = "http" if domain.startswith(("127.", "localhost")) else "https"
    service = Nominatim(user_agent=f"afghangeo/{__version__}", domain=domain, scheme=scheme)
    return OnlineFallback(service, **options)
