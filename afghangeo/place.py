"""The result of geocoding: :class:`Place`, a small frozen record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from afghangeo._vocab import MatchStatus, Precision

if TYPE_CHECKING:
    import shapely

__all__ = ["Place"]


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    name : str
        Name as in the gazetteer (GeoNames spelling for towns, canonical otherwise).
    province, district : str or None
        Canonical province and district containing the point (from the boundaries).
    lat, lon : float
        WGS84 degrees; for a province or district, a point well inside its polygon.
    precision : {"place", "district", "province"}
        How much the point means: an exact place, or only the district or province.
    kind : str
        One of ``afghangeo._vocab.KINDS`` (``province``, ``district``, ``town``,
        ``village``, ``airport``, ``quarter`` ...).
    score : float
        Calibrated confidence 0–1: of the answers scored about s, about s are right
        (measured in ``benchmarks/calibration.py``).
    status : {"matched", "uncertain", "ambiguous"}
        ``matched`` when the score clears the documented threshold with no close rival.
    source, source_id : str
        Where the entry comes from (``GeoNames`` with its geonameid, ...).
    alternatives : tuple of Place
        Other places the name may mean, best first; their scores are on the same
        scale as this one's.
    parts : tuple of Place
        For a query that names several places ("Babaji and Chahanjir") or describes
        one ("the outskirts of Kunduz"), the places it was resolved from; the answer is
        then the smallest unit that holds them all.
    """

    name: str
    province: str | None
    district: str | None
    lat: float
    lon: float
    precision: Precision
    kind: str
    score: float
    source: str = ""
    source_id: str = ""
    status: MatchStatus = "matched"
    alternatives: tuple[Place, ...] = field(default=(), repr=False)
    parts: tuple[Place, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        where = ", ".join(x for x in (self.district, self.province) if x)
        alt = f", +{len(self.alternatives)} alternatives" if self.alternatives else ""
        return (
            f"Place({self.name!r}, {where}, lat={self.lat:.4f}, lon={self.lon:.4f}, "
            f"precision={self.precision!r}, kind={self.kind!r}, score={self.score:.2f}{alt})"
        )

    @property
    def point(self) -> shapely.Point:
        """The point as a shapely geometry (x = lon, y = lat)."""
        import shapely

        return shapely.Point(self.lon, self.lat)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        props = {k: v for k, v in self.to_dict().items() if k not in ("lat", "lon")}
        geometry = {"type": "Point", "coordinates": (self.lon, self.lat)}
        return {"type": "Feature", "geometry": geometry, "properties": props}

    def _repr_html_(self) -> str:
        """The answer and its alternatives as a table, for Jupyter."""
        import html

        columns = ("name", "kind", "district", "province", "lat", "lon", "precision", "score")
        rows = [(self, "answer"), *((a, "alternative") for a in self.alternatives)]
        rows += [(p, "part") for p in self.parts]

        def cell(value: object) -> str:
            text = f"{value:.4f}" if isinstance(value, float) else "" if value is None else value
            return f"<td>{html.escape(str(text))}</td>"

        head = "".join(f"<th>{c}</th>" for c in ("", *columns))
        body = "".join(
            f"<tr><td><i>{role}</i></td>{''.join(cell(getattr(p, c)) for c in columns)}</tr>"
            for p, role in rows
        )
        caption = html.escape(f"{self.status}: {self.name} ({self.province or '?'})")
        return (
            f'<table class="afghangeo-place"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict; ``alternatives`` as a list of ``"name (province)"``."""
        out = asdict(self)
        out["alternatives"] = [f"{a.name} ({a.province})" for a in self.alternatives]
        out["parts"] = [f"{a.name} ({a.province})" for a in self.parts]
        return out
