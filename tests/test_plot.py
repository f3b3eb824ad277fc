"""Static figures (afghangeo.plot): plot_counts and reproducible saving."""

from __future__ import annotations

from pathlib import Path

import pytest

import afghangeo as ag
from afghangeo.errors import InvalidInputError

pytest.importorskip("matplotlib")
pytest.importorskip("mapclassify")

from test_maps import make_incidents, province_counts

from afghangeo.maps import save_map
from afghangeo.plot import plot_counts, save_figure


def test_plot_counts_draws_a_figure(tmp_path: Path) -> None:
    fig = plot_counts(province_counts(), title="Attacks", source="Source: test data")
    ax = fig.axes[0]
    assert ax.get_title() == "Attacks"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "0" and legend[-1].endswith("33")
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Source: test data" in notes and "Unlocated (not on the map): 5" in notes
    fig.savefig(tmp_path / "counts.png")
    assert (tmp_path / "counts.png").stat().st_size > 10_000


def test_plot_counts_by_district_and_from_incidents() -> None:
    inc = make_incidents(30)
    fig = plot_counts(inc, "fatalities", level="district", scheme="fisher_jenks", k=3)
    assert fig.axes[0].get_title() == "deaths (fatalities) by district"
    summed = plot_counts(ag.count_by_district(inc), level="province")
    assert summed.axes[0].get_title() == "incidents by province"
    with pytest.raises(InvalidInputError, match="Unknown scheme"):
        plot_counts(inc, scheme="nope")


@pytest.mark.parametrize(
    "text",
    ["cost $\\frac{a$", "US$ 5 and $10", "$x^2$ \\$"],
)
@pytest.mark.parametrize("where", ["title", "source", "column"])
def test_f15_dollars_are_text_not_mathtext(text: str, where: str, tmp_path: Path) -> None:
    counts = province_counts().rename(columns={"count": text}) if where == "column" else None
    if where == "column":
        fig = plot_counts(counts, text)  # type: ignore[arg-type]
        shown = fig.axes[0].get_legend().get_title().get_text()
    else:
        fig = plot_counts(province_counts(), **{where: text})  # type: ignore[arg-type]
        shown = fig.axes[0].get_title() if where == "title" else fig.texts[0].get_text()
    assert shown.startswith(text.replace("$", "\\$"))
    save_figure(fig, tmp_path / "f.png")  # raised a mathtext ValueError


def test_f15_non_text_title_or_source_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="source must be a str"):
        plot_counts(province_counts(), source=2024)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="title must be a str"):
        plot_counts(province_counts(), title=["a"])  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", ["svg", "png", "pdf"])
def test_f19_figures_save_byte_identical_without_a_date(suffix: str, tmp_path: Path) -> None:
    paths = [
        save_figure(plot_counts(province_counts()), tmp_path / f"{i}.{suffix}") for i in range(2)
    ]
    one, two = (p.read_bytes() for p in paths)
    assert one == two
    assert b"<dc:date>" not in one and b"CreationDate" not in one
    via_save_map = save_map(plot_counts(province_counts()), tmp_path / f"m.{suffix}")
    assert via_save_map.read_bytes() == one


def test_save_figure_keeps_explicit_metadata_and_writes_atomically(tmp_path: Path) -> None:
    path = save_figure(plot_counts(province_counts()), tmp_path / "f.svg", metadata={"Title": "T"})
    text = path.read_text()
    assert "<dc:title>T</dc:title>" in text and "<dc:date>" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.svg"]
