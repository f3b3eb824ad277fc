"""The opt-in online fallback, against a fake Nominatim on 127.0.0.1 (nothing else)."""

from __future__ import annotations

import http.server
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest

import afghangeo as ag
from afghangeo.cli import main
from afghangeo.online import OnlineFallback, fallback_for

# made-up names no gazetteer holds, and one answer outside Afghanistan
ANSWERS = {
    "Zarghunabad": {"lat": "31.60", "lon": "64.35", "addresstype": "village"},
    "Shinkai Bagh": {"lat": "34.52", "lon": "69.18", "addresstype": "suburb"},
    "Quetta Outside": {"lat": "30.18", "lon": "67.00", "addresstype": "city"},
}


class _FakeNominatim(http.server.BaseHTTPRequestHandler):
    queries: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["q"][0]
        type(self).queries.append(query)
        name = query.split(",")[0]
        hit = ANSWERS.get(name)
        body = (
            [] if hit is None else [{**hit, "display_name": f"{name}, Afghanistan", "place_id": 7}]
        )
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def nominatim(loopback: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    _FakeNominatim.queries = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    monkeypatch.setenv("AFGHANGEO_NOMINATIM", f"127.0.0.1:{httpd.server_address[1]}")
    try:
        yield _FakeNominatim.queries
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_geocode_many_asks_only_for_what_it_lacks(nominatim: list[str]) -> None:
    online = fallback_for("nominatim", min_delay_seconds=0)
    table = ag.geocode_many(
        ["Kabul", "Zarghunabad", "Quetta Outside", "Nowhere Qala"], fallback=online
    )
    assert table["status"].tolist() == ["matched", "matched", "not_found", "not_found"]
    row = table.iloc[1]
    assert row["province"] == "Helmand" and pd.isna(row["score"])  # not on our scale
    assert nominatim == ["Zarghunabad, Afghanistan", "Quetta Outside, Afghanistan",
                         "Nowhere Qala, Afghanistan"]  # fmt: skip
    again = ag.geocode_many(["Zarghunabad", "Nowhere Qala"], fallback=online)
    assert again["status"].tolist() == ["matched", "not_found"]
    assert len(nominatim) == 3  # answered from the disk cache, misses included


def test_read_incidents_and_the_cli_take_the_fallback(
    nominatim: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = pd.DataFrame({"place": ["Shinkai Bagh", "Lashkar Gah"], "fatalities": [2, 1]})
    incidents = ag.read_incidents(table, fallback=fallback_for("nominatim", min_delay_seconds=0))
    assert incidents["province"].astype(object).tolist() == ["Kabul", "Helmand"]
    assert incidents["status"].astype(object).tolist() == ["geocoded", "geocoded"]
    names = tmp_path / "names.txt"
    names.write_text("Zarghunabad\n", encoding="utf-8")
    assert main(["geocode", str(names), "--online", "nominatim", "--format", "csv"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert out["province"].tolist() == ["Helmand"]
    assert main(["geocode", str(names)]) == 1  # without --online: nothing is asked
    assert nominatim.count("Zarghunabad, Afghanistan") == 1


def test_no_fallback_no_request(nominatim: list[str]) -> None:
    assert ag.geocode_many(["Zarghunabad"])["status"].tolist() == ["not_found"]
    assert nominatim == []


def test_a_failing_service_is_one_line(tmp_path: Path) -> None:
    def broken(query: str) -> None:
        raise TimeoutError("the service did not answer")

    online = OnlineFallback(broken, min_delay_seconds=0, cache=tmp_path / "c.sqlite")
    with pytest.raises(ag.DownloadError, match="online geocoder failed for 'Zarghunabad'"):
        ag.geocode_many(["Zarghunabad"], fallback=online)


def test_unknown_service_and_bad_fallback() -> None:
    with pytest.raises(ag.InvalidInputError, match="choose 'nominatim'"):
        fallback_for("google")
    with pytest.raises(ag.InvalidInputError, match="geopy geocoder or a function"):
        OnlineFallback(42)


def test_reverse_accepts_points_pairs_and_strings() -> None:
    from geopy.point import Point

    from afghangeo.geopy import Afghangeo

    geolocator = Afghangeo()
    for query in (Point(31.5938, 64.3716), (31.5938, 64.3716), "31.5938, 64.3716"):
        found = geolocator.reverse(query)
        assert found is not None and found.raw["district"] == "Lashkar Gah"
    with pytest.raises(ag.InvalidInputError, match="reverse"):
        geolocator.reverse("somewhere")
