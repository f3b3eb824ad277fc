"""User gazetteers from the command line, and the one network call: the GeoNames download.

Downloads are served by a local HTTP server on 127.0.0.1 (the ``loopback`` fixture of
conftest.py lets the test reach it and nothing else).
"""

from __future__ import annotations

import functools
import http.server
import io
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import afghangeo as ag
from afghangeo import download
from afghangeo.cli import main
from afghangeo.download import download_geonames, geonames_url, install_geonames
from afghangeo.errors import DownloadError
from afghangeo.registry import data_dir

# GeoNames' 19 tab-separated columns: made-up places in Helmand, one outside Afghanistan.
_ROWS = [
    ["9900001", "Zarghunabad", "Zarghunabad", "Zarghun Abad,Zarghoon Abad", "31.60", "64.35",
     "P", "PPL", "AF", "", "10", "", "", "", "0", "", "780", "Asia/Kabul", "2024-01-01"],
    ["9900002", "Shinkai Bagh", "Shinkai Bagh", "", "31.65", "64.30",
     "P", "PPL", "AF", "", "10", "", "", "", "120", "", "790", "Asia/Kabul", "2024-01-01"],
    ["9900003", "Quetta Outside", "Quetta Outside", "", "30.18", "67.00",
     "P", "PPL", "PK", "", "02", "", "", "", "0", "", "1700", "Asia/Karachi", "2024-01-01"],
]  # fmt: skip


def _dump(rows: list[list[str]] = _ROWS) -> bytes:
    text = "".join("\t".join(row) + "\n" for row in rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        # fixed dates: the same rows always make the same bytes
        zf.writestr(zipfile.ZipInfo("AF.txt", (2024, 1, 1, 0, 0, 0)), text)
        zf.writestr(zipfile.ZipInfo("readme.txt", (2024, 1, 1, 0, 0, 0)), "not a dump\n")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def user_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own data folder (the root conftest makes one), with no proxy set."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return data_dir()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Truncating(_Quiet):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"PK\x03\x04 only the start")
        self.close_connection = True


def _serve(handler: Any) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def www(tmp_path: Path) -> Path:
    root = tmp_path / "www"
    root.mkdir()
    (root / "AF.zip").write_bytes(_dump())
    (root / "XX.zip").write_text("<html>please log in</html>")
    return root


@pytest.fixture
def server(loopback: None, www: Path) -> Iterator[str]:
    yield from _serve(functools.partial(_Quiet, directory=str(www)))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _one_error_line(err: str) -> None:
    assert err.startswith("afghangeo: error:")
    assert err.count("\n") == 1
    assert "Traceback" not in err


# --- download ----------------------------------------------------------------------------


def test_download_then_geocode_the_village(
    server: str, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ag.geocode("Zarghunabad") is None
    assert main(["gazetteer", "download", "--url", f"{server}/AF.zip"]) == 0
    err = capsys.readouterr().err
    assert ": 2 places" in err and "1 outside Afghanistan" in err  # Pakistan left out
    assert str(user_data / "gazetteers") in err
    assert (user_data / "downloads" / "AF.zip").read_bytes() == _dump()
    assert not list((user_data / "downloads").glob("*.part"))
    place = ag.geocode("Zarghunabad")
    assert place is not None
    assert (place.province, place.district) == ("Helmand", "Lashkar Gah")
    assert abs(place.lat - 31.60) < 1e-6 and abs(place.lon - 64.35) < 1e-6
    again = ag.geocode("Zarghoon Abad", province="Helmand")  # an alternate name
    assert again is not None and again.name == "Zarghunabad"


def test_download_geonames_to_a_folder_with_progress(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = download_geonames(f"{server}/AF.zip", dest=tmp_path, progress=True)
    assert path == tmp_path / "AF.zip"
    assert path.read_bytes() == _dump()
    assert "AF.zip" in capsys.readouterr().err  # tqdm's bar, on standard error


def test_a_new_download_replaces_the_old_one(server: str, www: Path) -> None:
    install_geonames(f"{server}/AF.zip", progress=False)
    (www / "AF.zip").write_bytes(_dump(_ROWS[:1]))
    path, info = install_geonames(f"{server}/AF.zip", progress=False)
    assert info.places == 1
    assert path.read_bytes() == _dump(_ROWS[:1])
    compiled = [g.path for g in ag.list_gazetteers()]
    assert len(compiled) == 1 and compiled[0].name.startswith("AF-")
    assert ag.geocode("Shinkai Bagh", province="Helmand") is None


def test_http_404_is_one_clear_line(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "download", "--url", f"{server}/ZZ.zip"]) == 2
    err = capsys.readouterr().err.splitlines()[-1] + "\n"
    _one_error_line(err)
    assert "404" in err and "gazetteer add ZZ.zip" in err


def test_not_a_zip_is_refused_and_nothing_is_left(
    server: str, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gazetteer", "download", "--url", f"{server}/XX.zip"]) == 2
    err = capsys.readouterr().err.splitlines()[-1] + "\n"
    _one_error_line(err)
    assert "not a zip file" in err
    assert not list((user_data / "downloads").iterdir())


def test_a_truncated_download_is_an_error(loopback: None, tmp_path: Path) -> None:
    for url in _serve(_Truncating):
        with pytest.raises(DownloadError, match="Cannot download"):
            download_geonames(f"{url}/AF.zip", dest=tmp_path / "AF.zip", progress=False)
    assert not list(tmp_path.glob("*AF.zip*"))


def test_refused_connection_says_offline(
    loopback: None, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/AF.zip"
    assert main(["gazetteer", "download", "--url", url, "--no-progress"]) == 2
    err = capsys.readouterr().err.splitlines()[-1] + "\n"
    _one_error_line(err)
    assert f"Cannot download {url}" in err
    assert "offline" in err and "`afghangeo gazetteer add AF.zip`" in err


def test_a_silent_server_times_out(loopback: None, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/AF.zip"
        with pytest.raises(DownloadError, match=r"timed out.*offline"):
            download_geonames(url, dest=tmp_path, timeout=0.3)


def test_blocked_network_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    # no loopback fixture: every connection and DNS lookup fails, as when offline
    assert main(["gazetteer", "download"]) == 2
    err = capsys.readouterr().err.splitlines()[-1] + "\n"
    _one_error_line(err)
    assert "Cannot download https://download.geonames.org/export/dump/AF.zip" in err
    assert "offline" in err
    url = f"http://127.0.0.1:{_closed_port()}/AF.zip"
    with pytest.raises(DownloadError, match="offline"):
        download_geonames(url)


def test_bad_country_and_url_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "download", "--country", "Afghanistan"]) == 2
    _one_error_line(capsys.readouterr().err)
    assert main(["gazetteer", "download", "--url", "AF.zip"]) == 2
    err = capsys.readouterr().err.splitlines()[-1] + "\n"
    _one_error_line(err)
    assert "gazetteer add FILE" in err
    assert geonames_url("pk") == "https://download.geonames.org/export/dump/PK.zip"


# --- add, list, remove -------------------------------------------------------------------


def test_add_list_remove(
    tmp_path: Path, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "AF.zip"
    dump.write_bytes(_dump())
    villages = tmp_path / "villages.csv"
    villages.write_text("name,latitude,longitude\nDeh-e Nawgak,31.55,64.40\n")
    assert main(["gazetteer", "list"]) == 0
    assert "no user gazetteers" in capsys.readouterr().err
    assert main(["gazetteer", "add", str(dump), str(villages)]) == 0
    err = capsys.readouterr().err
    assert f"added {dump}: 2 places; 1 rows skipped: 1 outside Afghanistan (stored in " in err
    assert f"{user_data / 'gazetteers'})" in err
    assert f"added {villages}: 1 places (stored" in err
    assert ag.geocode("Deh-e Nawgak") is not None
    assert main(["gazetteer", "list"]) == 0
    out = capsys.readouterr().out
    assert "AF " in out and "villages" in out and out.count("\n") == 3
    assert main(["gazetteer", "remove", "villages"]) == 0
    assert "removed villages-" in capsys.readouterr().err
    assert ag.geocode("Deh-e Nawgak") is None
    assert ag.geocode("Zarghunabad") is not None
    assert main(["gazetteer", "remove", "nope"]) == 2
    err = capsys.readouterr().err
    _one_error_line(err)
    assert "'nope'" in err and "AF" in err
    assert main(["gazetteer", "remove"]) == 2
    _one_error_line(capsys.readouterr().err)
    assert main(["gazetteer", "remove", "--all"]) == 0
    assert [g.path for g in ag.list_gazetteers()] == []
    assert ag.geocode("Zarghunabad") is None


def test_add_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "add", str(tmp_path / "missing.zip")]) == 2
    _one_error_line(capsys.readouterr().err)
    bad = tmp_path / "bad.csv"
    bad.write_text("village,x_coord\nA,1\n")
    assert main(["gazetteer", "add", str(bad)]) == 2
    err = capsys.readouterr().err
    _one_error_line(err)
    assert "latitude" in err
    with pytest.raises(SystemExit) as info:
        main(["gazetteer", "add"])
    assert info.value.code == 2


# --- #13: F01 (no data loss), F10 (deadline, size cap, zip bombs) --------------------------


@pytest.mark.parametrize(
    "payload",
    [
        _dump([]),  # a valid zip with an empty AF.txt
        _dump([_ROWS[2]]),  # only a place outside Afghanistan
        b"",  # not a zip at all
    ],
    ids=["empty", "no-afghan-place", "zero-bytes"],
)
def test_a_download_with_no_afghan_place_keeps_what_was_installed(
    server: str, www: Path, payload: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path, good = install_geonames(f"{server}/AF.zip", progress=False)
    saved = path.read_bytes()
    (www / "AF.zip").write_bytes(payload)
    assert main(["gazetteer", "download", "--url", f"{server}/AF.zip", "--no-progress"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("downloading ")
    _one_error_line(err[1] + "\n")
    assert len(err) == 2
    assert [g.path for g in ag.list_gazetteers()] == [good.path]
    assert path.read_bytes() == saved
    assert ag.geocode("Zarghunabad", province="Helmand") is not None
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


class _Endless(_Quiet):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        try:
            for _ in range(10_000):  # bounded: about 640 MB at most
                self.wfile.write(b"x" * 65536)
        except OSError:
            pass


class _Trickle(_Quiet):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        try:
            for _ in range(200):  # bounded: 20 s at most
                self.wfile.write(b"x" * 100)
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


def test_a_download_has_a_size_cap(
    loopback: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "MAX_BYTES", 1_000_000)
    for url in _serve(_Endless):
        with pytest.raises(DownloadError, match="larger than 1,000,000 bytes"):
            download_geonames(f"{url}/AF.zip", dest=tmp_path, progress=False)
    assert not list(tmp_path.iterdir())


def test_a_download_has_an_overall_deadline(
    loopback: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "MIN_DEADLINE_SECONDS", 0.5)
    monkeypatch.setattr(download, "DEADLINE_FACTOR", 0.0)
    for url in _serve(_Trickle):
        with pytest.raises(DownloadError, match="longer than"):
            download_geonames(f"{url}/AF.zip", dest=tmp_path, progress=False, timeout=5)
    assert not list(tmp_path.iterdir())


def test_a_zip_bomb_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from afghangeo import _gazfiles

    monkeypatch.setattr(_gazfiles, "MAX_MEMBER_BYTES", 100_000)
    bomb = tmp_path / "AF.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AF.txt", "\n" * 5_000_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ag.DataError, match="too large"):
        ag.add_gazetteer(bomb)
    assert ag.list_gazetteers() == []
