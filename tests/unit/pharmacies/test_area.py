"""Service areas: radius or h3 cells."""

from medrush.kernel.geo import cell_of, ring_cells
from medrush.pharmacies.area import covers

PEOPLES_SQUARE = (31.2304, 121.4737)


def test_a_radius_covers_points_within_it_only() -> None:
    lat, lng = PEOPLES_SQUARE
    assert covers(lat, lng, 1000, (), lat + 0.008, lng) is True  # ~890 m north
    assert covers(lat, lng, 1000, (), lat + 0.010, lng) is False  # ~1112 m north


def test_no_radius_falls_back_to_three_kilometres() -> None:
    lat, lng = PEOPLES_SQUARE
    assert covers(lat, lng, None, (), lat + 0.026, lng) is True
    assert covers(lat, lng, None, (), lat + 0.028, lng) is False


def test_cells_decide_when_given_whatever_the_radius() -> None:
    lat, lng = PEOPLES_SQUARE
    cells = {cell_of(lat, lng, 9)}
    assert covers(lat, lng, 50_000, cells, lat, lng) is True
    assert covers(lat, lng, 50_000, cells, lat + 0.05, lng) is False
    disk = ring_cells(cell_of(lat, lng, 9), 3)
    assert covers(lat, lng, None, disk, lat + 0.003, lng) is True
