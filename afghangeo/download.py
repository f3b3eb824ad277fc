"""Download a GeoNames country dump, only when asked, and add it as a user gazetteer.

Nothing in afghangeo touches the network on its own: :func:`download_geonames` is
the one function that does, and only when it is called (``afghangeo gazetteer
download`` on the command line). Without a network, download ``AF.zip`` from
https://download.geonames.org/export/dump/ on another machine and add it with
:func:`~afghangeo.add_gazetteer` (``afghangeo gazetteer add AF.zip``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from os import PathLike
from pathlib import Path
from typing import IO, Any

from afghangeo._compat import progress_bar
from afghangeo.errors import DataError, DownloadError, InvalidInputError
from afghangeo.registry import GazetteerInfo, add_gazetteer, data_dir

__all__ = [
    "GEONAMES_URL",
    "download_geonames",
    "geonames_url",
    "install_geonames",
]

GEONAMES_URL = "https://download.geonames.org/export/dump/AF.zip"
_CHUNK = 64 * 1024
#: The most a download may write (GeoNames' AF.zip is about 2 MB).
MAX_BYTES = 256 * 1024 * 1024
#: The longest a download may take is this many times its per-read `timeout`, however
#: slowly the server sends (at least :data:`MIN_DEADLINE_SECONDS`).
DEADLINE_FACTOR = 5.0
MIN_DEADLINE_SECONDS = 20.0


def geonames_url(country: str = "AF") -> str:
    """The URL of the GeoNames dump of a country.

    Parameters
    ----------
    country : str, default "AF"
        An ISO 3166-1 alpha-2 country code.

    Returns
    -------
    str
        ``https://download.geonames.org/export/dump/<CC>.zip``.

    Raises
    ------
    InvalidInputError
        If `country` is not two letters.

    Examples
    --------
    >>> geonames_url("af")
    'https://download.geonames.org/export/dump/AF.zip'
    """
    code = country.strip().upper() if isinstance(country, str) else ""
    if not re.fullmatch(r"[A-Z]{2}", code):
        msg = f"Country must be a two-letter code such as 'AF', not {country!r}."
        raise InvalidInputError(msg)
    return f"https://download.geonames.org/export/dump/{code}.zip"


def _file_name(url: str) -> str:
    name = Path(urllib.parse.urlsplit(url).path).name
    return name or "geonames.zip"


def _target(url: str, dest: str | PathLike[str] | None) -> Path:
    if dest is None:
        return data_dir() / "downloads" / _file_name(url)
    path = Path(dest)
    return path / _file_name(url) if path.is_dir() else path


def _offline(url: str, reason: object) -> DownloadError:
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    name = _file_name(url)
    msg = (
        f"Cannot download {url}: {text}. You appear to be offline (or the server is "
        f"unreachable); download {name} on a machine with internet and run "
        f"`afghangeo gazetteer add {name}`."
    )
    return DownloadError(msg)


def _copy(response: Any, out: IO[bytes], url: str, bar: Any, *, deadline: float) -> int:
    """Stream `response` into `out` within the size cap and the deadline."""
    written = 0
    while True:
        try:
            chunk = response.read(_CHUNK)
        except (OSError, http.client.HTTPException) as err:
            raise _offline(url, err) from err
        if not chunk:
            return written
        written += len(chunk)
        if written > MAX_BYTES:
            msg = f"Cannot download {url}: it is larger than {MAX_BYTES:,} bytes, too large."
            raise DownloadError(msg)
        if time.monotonic() > deadline:
            raise _offline(url, "it took longer than its overall deadline")
        out.write(chunk)
        if bar is not None:
            bar.update(len(chunk))


def download_geonames(
    url: str = GEONAMES_URL,
    *,
    dest: str | PathLike[str] | None = None,
    progress: bool | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download a GeoNames country dump (or any file) to disk, atomically.

    This is the only function of afghangeo that uses the network, and only when
    called. The file is streamed to a temporary file next to its destination and
    renamed into place once complete, so a failed download leaves nothing behind.

    Parameters
    ----------
    url : str, default GEONAMES_URL
        What to download: by default GeoNames' Afghanistan dump
        (``https://download.geonames.org/export/dump/AF.zip``).
    dest : str or path-like, optional
        The file to write, or an existing folder to write into (under the URL's
        file name). By default ``<data_dir>/downloads/<file name>``, where
        ``data_dir`` is :func:`afghangeo.registry.data_dir`
        (``$AFGHANGEO_DATA_DIR`` overrides it).
    progress : bool, optional
        Show a progress bar on standard error (tqdm, if installed; its total is
        the Content-Length). By default, only when standard error is a terminal.
    timeout : float, default 60
        Seconds to wait for the server to connect or send more data; the whole
        download may take at most five times as long (at least 20 s).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DownloadError
        If the download fails: no network, DNS failure, refused connection, HTTP
        error, timeout, a truncated transfer, or a ``.zip`` URL that did not send
        a zip file. The message says how to add the file by hand instead.
    InvalidInputError
        If `url` is not an http(s) or file URL.
    DataError
        If the file cannot be written.

    Examples
    --------
    >>> download_geonames("ftp-less nonsense")
    Traceback (most recent call last):
    ...
    afghangeo.errors.InvalidInputError: Not a URL: 'ftp-less nonsense'; ...
    """
    _check_url(url)
    target = _target(url, dest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"Cannot create folder {str(target.parent)!r}: {err.strerror or err}."
        raise DataError(msg) from err
    deadline = time.monotonic() + max(MIN_DEADLINE_SECONDS, DEADLINE_FACTOR * timeout)
    with _open(url, timeout) as response:
        _save(response, target, url, progress=progress, deadline=deadline)
    return target


def _check_url(url: object) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower() if isinstance(url, str) else ""
    if scheme not in ("http", "https", "file"):
        msg = (
            f"Not a URL: {url!r}; give an http(s) address such as {GEONAMES_URL!r} "
            "(add a file you already have with `afghangeo gazetteer add FILE`)."
        )
        raise InvalidInputError(msg)


def _open(url: str, timeout: float) -> Any:
    """The server's response; every failure to connect becomes a DownloadError."""
    from afghangeo._version import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"afghangeo/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        name = _file_name(url)
        msg = (
            f"Cannot download {url}: HTTP {err.code} {err.reason}. Check the address "
            f"(or the country code); or download {name} in a browser and run "
            f"`afghangeo gazetteer add {name}`."
        )
        err.close()
        raise DownloadError(msg) from err
    except urllib.error.URLError as err:
        raise _offline(url, err.reason) from err
    except (OSError, http.client.HTTPException) as err:  # e.g. a timeout while connecting
        raise _offline(url, err) from err


def _save(response: Any, target: Path, url: str, *, progress: bool | None, deadline: float) -> None:
    """Stream the body to a temporary file beside `target`, check it, then rename."""
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    if total is not None and total > MAX_BYTES:
        msg = f"Cannot download {url}: it announces {total:,} bytes, more than {MAX_BYTES:,}."
        raise DownloadError(msg)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as err:
        msg = f"Cannot write to {str(target.parent)!r}: {err.strerror or err}."
        raise DataError(msg) from err
    tmp = Path(tmp_name)
    bar = progress_bar(progress, total=total, desc=target.name, unit="B")
    try:
        with os.fdopen(fd, "wb") as out:
            written = _copy(response, out, url, bar, deadline=deadline)
        if total is not None and written != total:
            raise _offline(url, f"the transfer stopped after {written:,} of {total:,} bytes")
        if target.suffix.lower() == ".zip" and not zipfile.is_zipfile(tmp):
            kind = response.headers.get("Content-Type") or "not a zip file"
            msg = (
                f"Cannot download {url}: the server sent {kind}, not a zip file "
                "(a login page or proxy?). Download it in a browser and run "
                f"`afghangeo gazetteer add {target.name}`."
            )
            raise DownloadError(msg)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        if bar is not None:
            bar.close()


def install_geonames(
    url: str = GEONAMES_URL, *, progress: bool | None = None, timeout: float = 60.0
) -> tuple[Path, GazetteerInfo]:
    """Download a GeoNames dump and add it as a user gazetteer, replacing older copies.

    Parameters
    ----------
    url : str, default GEONAMES_URL
        The dump to download (see :func:`download_geonames`).
    progress : bool, optional
        Show a download progress bar (see :func:`download_geonames`).
    timeout : float, default 60
        Seconds to wait for the server.

    Returns
    -------
    tuple of (pathlib.Path, GazetteerInfo)
        The downloaded file and what adding it did (see :func:`afghangeo.add_gazetteer`).
        Gazetteers compiled earlier from a file of the same name (an older download)
        are removed, so that places are not listed twice; a download with no Afghan
        place fails and leaves them in use.

    Raises
    ------
    DownloadError
        If the download fails.
    DataError, InvalidInputError
        If the file cannot be written or read as a gazetteer.
    """
    final = _target(url, None)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=final.parent))
    try:
        path = download_geonames(url, dest=staging, progress=progress, timeout=timeout)
        info = add_gazetteer(path, replace=True)  # raises, installing nothing, if empty
        os.replace(path, final)  # the previous download is kept until the new one is in use
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final, info
