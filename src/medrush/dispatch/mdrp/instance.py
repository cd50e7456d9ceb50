"""Reading a Grubhub MDRP instance directory, with errors that name the file and the line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "InstanceError",
    "MdrpCourier",
    "MdrpInstance",
    "MdrpOrder",
    "MdrpParams",
    "load_instance",
]

_PARAM_COLUMNS = {
    "meters_per_minute": "metres_per_minute",
    "pickup service minutes": "pickup_service",
    "dropoff service minutes": "dropoff_service",
    "target click-to-door": "target",
    "maximum click-to-door": "maximum",
    "pay per order": "pay_per_order",
    "guaranteed pay per hour": "pay_per_hour",
}


# Bounds that keep a mistyped value from becoming an overflow or a simulation of years: the
# published instances span less than a day (minutes up to 1,080) over a city of tens of km.
MAX_MINUTE = 7 * 24 * 60
MAX_COORDINATE = 1e8  # metres
MAX_SPEED = 1e5  # metres per minute
MAX_PAY = 1e6  # per order or per hour, in the instance's currency


class InstanceError(ValueError):
    """An instance or solution file is missing, malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class MdrpOrder:
    """One order of an instance (times in minutes, position in metres)."""

    id: str
    x: float
    y: float
    placement_time: int
    restaurant: str
    ready_time: int


@dataclass(frozen=True, slots=True)
class MdrpCourier:
    """One courier shift: start position and on/off times."""

    id: str
    x: float
    y: float
    on_time: int
    off_time: int


@dataclass(frozen=True, slots=True)
class MdrpParams:
    """The instance parameters: speed, service minutes, targets and pay."""

    metres_per_minute: float
    pickup_service: int
    dropoff_service: int
    target: int
    maximum: int
    pay_per_order: float
    pay_per_hour: float


@dataclass(frozen=True, slots=True)
class MdrpInstance:
    """A whole instance; orders sorted by placement time, then id."""

    name: str
    orders: tuple[MdrpOrder, ...]
    restaurants: dict[str, tuple[float, float]]
    couriers: tuple[MdrpCourier, ...]
    params: MdrpParams


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated file as (line number, {column: text}) after checking the header.

    A byte-order mark is ignored, and a file whose header has no tab is read as separated by
    runs of spaces (its column names then cannot contain spaces).
    """
    if not path.is_file():
        raise InstanceError(f"{path}: file not found")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(f"{path}: cannot read ({exc})") from exc
    if not lines or not lines[0].strip():
        raise InstanceError(f"{path}:1: missing header line")
    header = [h.strip() for h in lines[0].split("\t")] if "\t" in lines[0] else lines[0].split()
    missing = [c for c in columns if c not in header]
    if missing:
        raise InstanceError(f"{path}:1: missing column(s) {', '.join(missing)}")
    out: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) != len(header):
            raise InstanceError(f"{path}:{number}: expected {len(header)} fields, found {len(fields)}")
        out.append((number, dict(zip(header, (f.strip() for f in fields), strict=True))))
    return out


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InstanceError(f"{path}:{line}: {column} is not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InstanceError(f"{path}:{line}: {column} is not a finite number: {text!r}")
    return value


def _minute(path: Path, line: int, column: str, text: str) -> int:
    value = _number(path, line, column, text)
    if value < 0 or value != int(value):
        raise InstanceError(f"{path}:{line}: {column} must be a non-negative whole minute: {text!r}")
    if value > MAX_MINUTE:
        raise InstanceError(f"{path}:{line}: {column} {text} is beyond one week ({MAX_MINUTE} minutes)")
    return int(value)


def _coordinate(path: Path, line: int, column: str, text: str) -> float:
    value = _number(path, line, column, text)
    if abs(value) > MAX_COORDINATE:
        limit = f"{MAX_COORDINATE:.0e}"
        raise InstanceError(f"{path}:{line}: {column} {text} is out of range (at most {limit} metres)")
    return value


def _unique(path: Path, line: int, seen: set[str], ident: str) -> None:
    if not ident:
        raise InstanceError(f"{path}:{line}: empty id")
    if ident in seen:
        raise InstanceError(f"{path}:{line}: duplicate id {ident!r}")
    seen.add(ident)


def load_instance(directory: str | Path) -> MdrpInstance:
    """Read and validate ``orders.txt``, ``couriers.txt``, ``restaurants.txt`` and the parameters."""
    root = Path(directory)
    if not root.is_dir():
        raise InstanceError(f"{root}: instance directory not found")

    path = root / "instance_parameters.txt"
    rows = _rows(path, tuple(_PARAM_COLUMNS))
    if len(rows) != 1:
        raise InstanceError(f"{path}: expected exactly one row of parameters, found {len(rows)}")
    line, row = rows[0]
    values = {attr: _number(path, line, col, row[col]) for col, attr in _PARAM_COLUMNS.items()}
    if not 1 <= values["metres_per_minute"] <= MAX_SPEED:
        raise InstanceError(f"{path}:{line}: meters_per_minute must be between 1 and {MAX_SPEED:.0f}")
    for attr in ("pay_per_order", "pay_per_hour"):
        if not 0 <= values[attr] <= MAX_PAY:
            raise InstanceError(f"{path}:{line}: {attr} must be 0 to {MAX_PAY:.0f}")
    for attr in ("pickup_service", "dropoff_service", "target", "maximum"):
        if not 0 <= values[attr] <= MAX_MINUTE or values[attr] != int(values[attr]):
            raise InstanceError(f"{path}:{line}: {attr} must be a whole number of minutes, 0 to {MAX_MINUTE}")
    params = MdrpParams(
        metres_per_minute=values["metres_per_minute"],
        pickup_service=int(values["pickup_service"]),
        dropoff_service=int(values["dropoff_service"]),
        target=int(values["target"]),
        maximum=int(values["maximum"]),
        pay_per_order=values["pay_per_order"],
        pay_per_hour=values["pay_per_hour"],
    )

    path = root / "restaurants.txt"
    restaurants: dict[str, tuple[float, float]] = {}
    seen: set[str] = set()
    for line, row in _rows(path, ("restaurant", "x", "y")):
        _unique(path, line, seen, row["restaurant"])
        restaurants[row["restaurant"]] = (
            _coordinate(path, line, "x", row["x"]),
            _coordinate(path, line, "y", row["y"]),
        )

    path = root / "couriers.txt"
    couriers: list[MdrpCourier] = []
    for line, row in _rows(path, ("courier", "x", "y", "on_time", "off_time")):
        _unique(path, line, seen, row["courier"])
        on = _minute(path, line, "on_time", row["on_time"])
        off = _minute(path, line, "off_time", row["off_time"])
        if off < on:
            raise InstanceError(f"{path}:{line}: off_time {off} is before on_time {on}")
        couriers.append(
            MdrpCourier(
                row["courier"],
                _coordinate(path, line, "x", row["x"]),
                _coordinate(path, line, "y", row["y"]),
                on,
                off,
            )
        )

    path = root / "orders.txt"
    orders: list[MdrpOrder] = []
    for line, row in _rows(path, ("order", "x", "y", "placement_time", "restaurant", "ready_time")):
        _unique(path, line, seen, row["order"])
        if row["restaurant"] not in restaurants:
            raise InstanceError(f"{path}:{line}: unknown restaurant {row['restaurant']!r}")
        placed = _minute(path, line, "placement_time", row["placement_time"])
        ready = _minute(path, line, "ready_time", row["ready_time"])
        if ready < placed:
            raise InstanceError(f"{path}:{line}: ready_time {ready} is before placement_time {placed}")
        orders.append(
            MdrpOrder(
                row["order"],
                _coordinate(path, line, "x", row["x"]),
                _coordinate(path, line, "y", row["y"]),
                placed,
                row["restaurant"],
                ready,
            )
        )
    orders.sort(key=lambda o: (o.placement_time, o.id))
    return MdrpInstance(root.name, tuple(orders), restaurants, tuple(couriers), params)
