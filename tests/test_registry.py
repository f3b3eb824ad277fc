"""User gazetteers and the registry: adding, merging, bad rows, stray files, threads."""

from __future__ import annotations

import threading
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from geopy.distance import great_circle

import afghangeo as ag
from afghangeo.registry import data_dir, registry

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gazetteer" / "testonly"
LASHKAR_GAH = (31.5938, 64.3716)


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_add_a_csv_gazetteer(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "villages.csv",
        "name,latitude,longitude,aliases\n"
        "Zarghunabad,31.60,64.35,Zarghun Abad\n"
        "Shinkai Bagh,31.65,64.30,\n"
        "Outside,25.0,51.0,\n"
        "Broken,,\n",
    )
    info = ag.add_gazetteer(path)
    assert (info.name, info.places) == ("villages", 2)
    assert info.skipped == {"missing or invalid coordinates": 1, "outside Afghanistan": 1}
    for name in ("Zarghunabad", "Shinkai Bagh", "Zarghoon Abad", "Zarghun Abad"):
        place = ag.geocode(name)
        assert place is not None and place.province == "Helmand", name
        assert great_circle((place.lat, place.lon), LASHKAR_GAH).km < 15
    assert [g.name for g in ag.list_gazetteers()] == ["villages"]


def test_bad_files_fail_with_one_line(tmp_path: Path) -> None:
    bad = _csv(tmp_path / "bad.csv", "a,b\n1,2\n")
    with pytest.raises(ag.InvalidInputError, match="needs name, latitude and longitude"):
        ag.add_gazetteer(bad)
    with pytest.raises(ag.DataError, match="Cannot read gazetteer file"):
        ag.add_gazetteer(tmp_path / "missing.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name,latitude,longitude\nQal\xe1,34.9,63.1\n".encode("latin-1"))
    with pytest.raises(ag.AfghangeoError, match="save it as UTF-8"):
        ag.add_gazetteer(latin1)
    assert ag.list_gazetteers() == []


@pytest.mark.parametrize(
    "rows",
    [
        "",  # header only
        "Quetta,30.18,66.97\nDoha,25.28,51.52\n",  # nothing in Afghanistan
        ",31.6,64.3\n123,31.6,64.3\nNA,31.6,64.3\n",  # no usable names
    ],
)
def test_an_add_with_no_afghan_place_fails_and_keeps_what_was_installed(
    tmp_path: Path, rows: str
) -> None:
    good = ag.add_gazetteer(
        _csv(tmp_path / "AF.csv", "name,latitude,longitude\nZarghunabad,31.60,64.35\n")
    )
    (tmp_path / "new").mkdir()
    empty = _csv(tmp_path / "new" / "AF.csv", "name,latitude,longitude\n" + rows)
    with pytest.raises(ag.InvalidInputError, match="nothing was installed"):
        ag.add_gazetteer(empty, replace=True)
    assert [g.path for g in ag.list_gazetteers()] == [good.path]
    assert ag.geocode("Zarghunabad") is not None


def test_bad_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "mixed.csv",
        "name,latitude,longitude\n"
        ",31.6,64.3\n"
        "42,31.6,64.3\n"
        "Zarghun Kalay,31.61,64.36\n"
        "Nowhere,abc,64.3\n"
        "Faraway,95.0,64.3\n",
    )
    info = ag.add_gazetteer(path)
    assert info.places == 1
    assert info.skipped == {
        "empty or numeric name": 2,
        "missing or invalid coordinates": 2,
    }
    assert ag.geocode("Kabul") is not None  # later look-ups still work
    assert ag.geocode_many(["Kabul", "Lashkar Gah"])["status"].tolist()[0] in ("matched",)


def test_district_and_province_rows_never_become_villages(tmp_path: Path) -> None:
    # feature_code ADM2 at a district's centroid, 21 km from Lashkar Gah's centre
    path = _csv(
        tmp_path / "admin.csv",
        "name,latitude,longitude,feature_code\n"
        "Lashkargah,31.45,64.25,ADM2\n"
        "Qala-i-Naw,35.05,63.05,ADM2\n"
        "Zarghun Kalay,31.61,64.36,PPL\n",
    )
    ag.add_gazetteer(path)
    city = ag.geocode("Lashkargah")
    assert city is not None and city.kind == "capital"
    assert great_circle((city.lat, city.lon), LASHKAR_GAH).km < 3
    town = ag.geocode("Qala-i-Naw")
    assert town is not None and town.kind in ("capital", "town")


def test_rows_that_repeat_a_bundled_place_merge_with_it(tmp_path: Path) -> None:
    before = len(registry().current()[1])
    info = ag.add_gazetteer(
        _csv(
            tmp_path / "dup.csv",
            "name,latitude,longitude,aliases\nLashkar Gah,31.59,64.37,Bost City\n",
        )
    )
    assert (info.places, info.merged) == (0, 1)
    assert len(registry().current()[1]) == before
    place = ag.geocode("Bost City")
    assert place is not None and place.name.startswith("Lashkar")


def test_a_stray_file_in_the_folder_is_ignored_with_a_warning(tmp_path: Path) -> None:
    folder = data_dir() / "gazetteers"
    folder.mkdir(parents=True)
    (folder / "notes.csv").write_text("this is not a gazetteer\n1,2\n")
    (folder / "empty.csv").write_text("")
    registry().refresh()
    with pytest.warns(ag.GazetteerWarning, match="not a compiled gazetteer"):
        assert ag.geocode("Kabul") is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ag.list_gazetteers() == []


def test_remove_by_name_and_all(tmp_path: Path) -> None:
    a = ag.add_gazetteer(
        _csv(tmp_path / "a.csv", "name,latitude,longitude\nZarghunabad,31.60,64.35\n")
    )
    ag.add_gazetteer(
        _csv(tmp_path / "b.csv", "name,latitude,longitude\nZarghun Kalay,31.61,64.36\n")
    )
    assert [g.name for g in ag.remove_gazetteer("a")] == ["a"]
    assert not a.path.exists()
    with pytest.raises(ag.InvalidInputError, match="No user gazetteer named 'zzz'"):
        ag.remove_gazetteer("zzz")
    with pytest.raises(ag.InvalidInputError, match="all=True"):
        ag.remove_gazetteer()
    assert [g.name for g in ag.remove_gazetteer(all=True)] == ["b"]
    assert ag.geocode("Zarghun Kalay") is None or ag.geocode("Zarghun Kalay").source != "b.csv"


def test_a_file_removed_by_another_process_is_no_error(tmp_path: Path) -> None:
    info = ag.add_gazetteer(
        _csv(tmp_path / "a.csv", "name,latitude,longitude\nZarghunabad,31.60,64.35\n")
    )
    info.path.unlink()  # behind the registry's back
    registry().refresh()
    assert ag.geocode("Kabul") is not None
    assert ag.list_gazetteers() == []


def test_the_version_changes_with_the_gazetteers_and_names_one_gazetteer(tmp_path: Path) -> None:
    reg = registry()
    v0, g0 = reg.current()
    ag.add_gazetteer(_csv(tmp_path / "a.csv", "name,latitude,longitude\nZarghunabad,31.60,64.35\n"))
    v1, g1 = reg.current()
    assert v1 > v0 and g1 is not g0
    assert reg.current() == (v1, g1)  # no change, no new version
    assert reg.cache("geocoder", v0) == {}  # an outdated version's answers are thrown away
    reg.cache("geocoder", v1)["x"] = 1
    assert reg.cache("geocoder")["x"] == 1


def test_threads_never_see_one_version_with_two_gazetteers(tmp_path: Path) -> None:
    reg = registry()
    seen: dict[int, set[int]] = {}
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                version, gaz = reg.current()
                with lock:
                    seen.setdefault(version, set()).add(id(gaz))
                ag.geocode("Kabul")
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for t in threads:
        t.start()
    for i in range(6):
        path = _csv(tmp_path / f"g{i}.csv", f"name,latitude,longitude\nPlace{i}x,31.6{i},64.3{i}\n")
        info = ag.add_gazetteer(path)
        ag.remove_gazetteer(info.name)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert all(len(ids) == 1 for ids in seen.values())


def test_concurrent_adds_of_one_file_both_succeed(tmp_path: Path) -> None:
    path = _csv(tmp_path / "v.csv", "name,latitude,longitude\nZarghunabad,31.60,64.35\n")
    results: list[object] = []

    def add() -> None:
        try:
            results.append(ag.add_gazetteer(path))
        except BaseException as err:  # pragma: no cover - reported below
            results.append(err)

    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, ag.GazetteerInfo) for r in results)
    assert len(ag.list_gazetteers()) == 1
    assert not list((data_dir() / "gazetteers").glob("*.tmp"))


def _geonames_row(
    gid: int, name: str, lat: float, lon: float, alt: str = "", code: str = "PPL"
) -> str:
    klass = "A" if code.startswith("ADM") else "S" if code in ("AIRP", "PASS") else "P"
    cols = [str(gid), name, name, alt, str(lat), str(lon), klass, code, "AF", "", "10", "", "",
            "", "0", "", "1000", "Asia/Kabul", "2020-01-01"]  # fmt: skip
    return "\t".join(cols)


def test_add_a_geonames_dump_zip_with_kinds_from_feature_codes(tmp_path: Path) -> None:
    text = "\n".join(
        [
            _geonames_row(1, "Mārjah", 31.52, 64.12, "Marja,Marjah"),
            _geonames_row(2, "Quetta", 30.18, 66.97),
            _geonames_row(3, "Dasht-e Zarghun Airstrip", 31.70, 64.50, code="AIRP"),
            _geonames_row(4, "Kotal-e Zarghun", 34.6, 68.5, code="PASS"),
        ]
    )
    path = tmp_path / "AF.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("AF.txt", text + "\n")
        zf.writestr("readme.txt", "GeoNames")
    info = ag.add_gazetteer(path)
    assert info.places == 3 and info.skipped == {"outside Afghanistan": 1}
    place = ag.geocode("Marjah")
    assert place is not None and place.province == "Helmand" and place.district == "Nad Ali"
    assert ag.geocode("Quetta") is None
    gaz = registry().current()[1]
    kinds = dict(zip(gaz.entries["name"], gaz.entries["kind"], strict=True))
    assert kinds["Dasht-e Zarghun Airstrip"] == "airport"
    assert kinds["Kotal-e Zarghun"] == "pass"


def test_a_zip_with_no_gazetteer_member_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "AF.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(ag.DataError, match=r"no GeoNames \.txt file"):
        ag.add_gazetteer(path)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ag.AfghangeoError):
        ag.add_gazetteer(tmp_path / "broken.zip")


@pytest.fixture
def shared_villages() -> Path:
    path = SHARED / "af_gazetteer_test.csv"
    if not path.exists():
        pytest.skip("../shared/data/gazetteer/testonly is not present")
    return path


def test_seed_villages_from_the_shared_file(shared_villages: Path) -> None:
    assert ag.add_gazetteer(shared_villages).places > 8000
    for name in ("Babaji", "Chahanjir", "Chahi Anjir"):
        place = ag.geocode(name, near=LASHKAR_GAH)
        assert place is not None and place.province == "Helmand"
        assert great_circle((place.lat, place.lon), LASHKAR_GAH).km < 15
    city = ag.geocode("Lashkargah")
    assert city is not None and great_circle((city.lat, city.lon), LASHKAR_GAH).km < 3
    town = ag.geocode("Qala-i-Naw")
    assert town is not None and town.kind in ("capital", "town")


def test_shared_village_names_resolve_to_their_province(shared_villages: Path) -> None:
    table = pd.read_csv(shared_villages)
    villages = table[(table["feature_code"] == "PPL") & table["latitude"].notna()].sample(
        400, random_state=1
    )
    ag.add_gazetteer(shared_villages)
    truth = ag.locate(lon=villages["longitude"], lat=villages["latitude"])["province"]
    truth = truth.astype(object)
    hinted = ag.geocode_many(villages["name"], provinces=truth.tolist())
    plain = ag.geocode_many(villages["name"])
    ok_hinted = (hinted["province"].to_numpy() == truth.to_numpy()).mean()
    ok_plain = (plain["province"].to_numpy() == truth.to_numpy()).mean()
    assert ok_hinted > 0.95
    assert ok_plain > 0.6
