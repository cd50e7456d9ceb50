"""The shipped demo pharmacies file and the seeded stock (no database)."""

from zoneinfo import ZoneInfo

from medrush.kernel.geo import haversine_m
from medrush.pharmacies.demo import _stock_for, demo_products, read_demo_pharmacies
from medrush.pharmacies.hours import parse_weekly


def test_every_demo_row_is_usable() -> None:
    rows = read_demo_pharmacies()
    assert len({r["key"] for r in rows}) == len(rows) == 41
    for row in rows:
        ZoneInfo(row["timezone"])
        assert row["always_open"] in ("yes", "no")
        if row["always_open"] == "no":
            assert parse_weekly(row["hours"]), row["key"]
        assert row["currency"] in ("CNY", "KRW", "EUR")
    shanghai = [r for r in rows if r["city"] == "Shanghai"]
    assert len(shanghai) == 30
    assert sum(r["always_open"] == "yes" for r in shanghai) == 8
    assert max(haversine_m(31.2304, 121.4737, float(r["lat"]), float(r["lng"])) for r in shanghai) < 3100
    osm = [r for r in rows if r["key"].startswith("osm-")]
    assert len(osm) == 6 and all("OpenStreetMap" in r["source"] for r in osm)


def test_seeded_stock_is_deterministic_and_from_the_catalog() -> None:
    products = demo_products()
    assert len(products) > 100
    assert all(rx != "rx" for _, rx in products)
    first = _stock_for("sh-01", "CNY", products)
    assert first == _stock_for("sh-01", "CNY", products)
    assert first != _stock_for("sh-02", "CNY", products)
    ids = {pid for pid, _ in products}
    assert all(m in ids and q >= 0 and p > 0 for m, q, p in first)
    assert all(p % 100 == 0 for _, _, p in _stock_for("se-01", "KRW", products))
