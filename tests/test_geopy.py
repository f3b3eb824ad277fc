from __future__ import annotations

from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from afghangeo.geopy import Afghangeo


class FakeOnline:
    """Stands in for Nominatim: counts calls, never touches the network."""

    def __init__(self, answers: dict[str, tuple[float, float]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def geocode(self, query: str) -> Location | None:
        self.calls.append(query)
        hit = self.answers.get(query.split(",")[0])
        return Location(f"{query} (online)", hit, {}) if hit else None


def test_is_a_geopy_geocoder_and_answers_offline() -> None:
    geolocator = Afghangeo()
    assert isinstance(geolocator, Geocoder)
    loc = geolocator.geocode("Lashkargah")
    assert isinstance(loc, Location)
    assert loc.raw["province"] == "Helmand" and loc.raw["source"] == "afghangeo"
    assert abs(loc.latitude - 31.59) < 0.05
    assert geolocator.geocode("Springfield") is None


def test_exactly_one_false_lists_alternatives() -> None:
    found = Afghangeo().geocode("Nawa", exactly_one=False)
    assert isinstance(found, list) and len(found) >= 2
    assert {"Helmand", "Ghazni"} <= {loc.raw["province"] for loc in found}


def test_reverse() -> None:
    loc = Afghangeo().reverse((31.5938, 64.3716))
    assert loc is not None and loc.address == "Lashkar Gah, Helmand, Afghanistan"
    assert Afghangeo().reverse((36.30, 59.60)) is None  # Mashhad


def test_fallback_is_used_only_when_local_abstains_and_cached(tmp_path: Path) -> None:
    fake = FakeOnline({"Zarghunabad": (31.60, 64.35), "Quetta": (30.18, 66.97)})
    cache = tmp_path / "online.sqlite"
    geolocator = Afghangeo(fallback=fake, cache=cache, min_delay_seconds=0)
    assert geolocator.geocode("Kabul").raw["source"] == "afghangeo"
    assert fake.calls == []
    loc = geolocator.geocode("Zarghunabad")  # a made-up name no gazetteer holds
    assert (
        loc is not None
        and loc.raw["source"].startswith("online")
        and loc.raw["province"] == "Helmand"
    )
    assert geolocator.geocode("Quetta") is None  # outside Afghanistan: dropped
    again = Afghangeo(fallback=fake, cache=cache, min_delay_seconds=0).geocode("Zarghunabad")
    assert again is not None and len(fake.calls) == 2  # answered from the disk cache
