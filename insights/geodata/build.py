"""Build ``countries.json`` (the map's country outlines as SVG paths) from Natural Earth.

Run once by hand when the boundaries should change; the output is committed as data, so the
portal needs neither this script's tools nor the network. Sources: world-atlas 2.0.2 from npm
(Natural Earth admin-0 countries, public domain, as TopoJSON; ISC licence, see LICENSE-world-atlas
beside this file): ``countries-50m.json`` for the Europe view (small states such as Luxembourg
and Malta are there), ``countries-110m.json`` for the world inset. Shapely clips and simplifies:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m venv /tmp/geo && /tmp/geo/bin/pip install shapely==2.1.2
    PYTHONPATH=/tmp/geo/lib/python3.11/site-packages .venv/bin/python \
        insights/geodata/build.py package/ insights/geodata/countries.json

Europe is drawn in a Lambert azimuthal equal-area projection centred on 12° E, 50° N (shapes
and areas true enough to compare countries); the world in an equirectangular one, which is
plenty for an inset that only says "and beyond Europe".
"""

import json
import math
import sys
from pathlib import Path

from django_countries.data import ALT_CODES
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.ops import unary_union

NUMERIC_TO_ALPHA2 = {numeric: alpha2 for alpha2, (_alpha3, numeric) in ALT_CODES.items()}

EUROPE_WIDTH, EUROPE_HEIGHT = 600, 520
WORLD_WIDTH, WORLD_HEIGHT = 600, 300


def decode_topology(topology: dict) -> list[tuple[str | None, str, list[list[list[tuple]]]]]:
    """Each country as (alpha-2 or None, name, polygons of rings of (lon, lat))."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            points.extend(arc if not points else arc[1:])
        return points

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [[ring(r) for r in geometry["arcs"]]]
        elif geometry["type"] == "MultiPolygon":
            polygons = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        numeric = int(geometry["id"]) if geometry.get("id", "").isdigit() else None
        alpha2 = NUMERIC_TO_ALPHA2.get(numeric) if numeric is not None else None
        countries.append((alpha2, geometry["properties"]["name"], polygons))
    return countries


def europe_projection(lon: float, lat: float) -> tuple[float, float]:
    lam0, phi0 = math.radians(12), math.radians(50)
    lam, phi = math.radians(lon), math.radians(lat)
    k = math.sqrt(
        2
        / (
            1
            + math.sin(phi0) * math.sin(phi)
            + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
        )
    )
    x = k * math.cos(phi) * math.sin(lam - lam0)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0))
    # About 5,200 km across at this scale: Lisbon to beyond Moscow, Crete to the North Cape.
    scale = EUROPE_WIDTH / 0.78
    return EUROPE_WIDTH / 2 + x * scale, EUROPE_HEIGHT * 0.47 - y * scale


def world_projection(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) / 360 * WORLD_WIDTH, (84 - lat) / (84 + 58) * WORLD_HEIGHT


def unwrap(ring):
    """A ring crossing the antimeridian (Russia, Fiji) continued past 180° instead of jumping."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring, False
    return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring], True


def shape(polygons, project, *, lon_range=None, wrap=False) -> MultiPolygon | Polygon:
    parts = []
    for rings in polygons:
        projected = []
        shifted = False
        for ring in rings:
            if lon_range and not any(lon_range[0] <= lon <= lon_range[1] for lon, _ in ring):
                projected = []
                break
            if wrap:
                ring, crossed = unwrap(ring)
                shifted = shifted or crossed
            projected.append([project(lon, lat) for lon, lat in ring])
        if projected and len(projected[0]) >= 3:
            polygon = Polygon(projected[0], projected[1:]).buffer(0)
            parts.append(polygon)
            if shifted:  # the part past 180° drawn again at the left edge
                parts.append(translate(polygon, xoff=-WORLD_WIDTH))
    return unary_union(parts) if parts else Polygon()


def path_data(geometry, digits: int) -> str:
    polygons = [geometry] if isinstance(geometry, Polygon) else list(geometry.geoms)
    commands = []
    for polygon in polygons:
        if polygon.is_empty or not isinstance(polygon, Polygon):
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            points = list(ring.coords)[:-1]
            if len(points) < 3:
                continue
            text = [f"{round(x, digits):g},{round(y, digits):g}" for x, y in points]
            commands.append("M" + "L".join(text) + "Z")
    return "".join(commands)


def build_view(countries, project, frame, tolerance, digits, *, lon_range=None, wrap=False) -> dict:
    paths = {}
    other = []
    for alpha2, _name, polygons in countries:
        geometry = shape(polygons, project, lon_range=lon_range, wrap=wrap).intersection(frame)
        if geometry.is_empty:
            continue
        geometry = geometry.simplify(tolerance, preserve_topology=True)
        if geometry.geom_type == "GeometryCollection":
            geometry = MultiPolygon([g for g in geometry.geoms if isinstance(g, Polygon)])
        data = path_data(geometry, digits)
        if not data:
            continue
        if alpha2:
            paths[alpha2] = paths.get(alpha2, "") + data
        else:
            other.append(data)
    return {"paths": dict(sorted(paths.items())), "other": "".join(other)}


def main(source: Path, target: Path) -> None:
    fine = decode_topology(json.loads((source / "countries-50m.json").read_text()))
    coarse = decode_topology(json.loads((source / "countries-110m.json").read_text()))
    europe = build_view(
        fine,
        europe_projection,
        box(0, 0, EUROPE_WIDTH, EUROPE_HEIGHT),
        tolerance=0.6,
        digits=1,
        # Only shapes near Europe: the projection folds the far side of the globe over it.
        lon_range=(-40, 80),
    )
    world = build_view(
        coarse,
        world_projection,
        box(0, 0, WORLD_WIDTH, WORLD_HEIGHT),
        tolerance=0.5,
        digits=1,
        wrap=True,
    )
    data = {
        "source": "Natural Earth admin-0 countries (public domain) via world-atlas 2.0.2 (ISC)",
        "europe": {"width": EUROPE_WIDTH, "height": EUROPE_HEIGHT, **europe},
        "world": {"width": WORLD_WIDTH, "height": WORLD_HEIGHT, **world},
    }
    target.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
