"""What orders asks of other parts, each behind one small function that tests can replace.

- ``product_info``: name, class (OTC-A needs a pharmacist on duty, Rx needs a prescription) and
  per-order limit of catalog products, from the catalog's live index (the shipped files before
  the database index is built).
- ``courier_minutes``: travel time of the nearest free courier to a pharmacy, from ``dispatch``
  when it offers ``nearest_courier_minutes``; None means unknown (the promise then uses
  ``promise.DEFAULT_COURIER_MINUTES``).
- ``safety_check``: ``medrush.safety.check`` when the safety engine is installed.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "ProductInfo",
    "SafetyVerdict",
    "courier_minutes",
    "product_info",
    "run_safety_check",
    "set_product_source",
    "set_safety_checker",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """What orders needs to know about a catalog product."""

    id: str
    name: str
    rx_class: str
    max_per_order: int | None = None


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    """The safety engine's answer: ``allow``, ``warn``, ``block`` or ``emergency`` with findings."""

    level: str
    findings: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored on the order."""
        return {"level": self.level, "findings": self.findings}


ProductSource = Callable[[], dict[str, ProductInfo]]
SafetyChecker = Callable[[dict[str, Any]], Any]
_product_source: ProductSource | None = None
_safety_checker: SafetyChecker | None = None


def _from_catalog(ids: Collection[str]) -> dict[str, ProductInfo]:
    from medrush import catalog

    index = catalog.current_index() or catalog.search_index()
    found: dict[str, ProductInfo] = {}
    for medicine_id in ids:
        product = index.get(medicine_id)
        if product is not None:
            info = ProductInfo(product.id, product.name_en, product.rx_class, product.max_per_order)
            found[medicine_id] = info
    return found


def set_product_source(source: ProductSource | None) -> None:
    """Replace where product facts come from (None: the shipped catalog files)."""
    global _product_source
    _product_source = source


def product_info(ids: Collection[str]) -> dict[str, ProductInfo]:
    """Facts of the given products that exist in the catalog."""
    if _product_source is None:
        return _from_catalog(ids)
    known = _product_source()
    return {i: known[i] for i in ids if i in known}


COURIER_CACHE_SECONDS = 5.0
_courier_cache: dict[tuple[float, float], tuple[float, float | None]] = {}


async def courier_minutes(session: AsyncSession, lat: float, lng: float) -> float | None:
    """Minutes for the nearest free courier to reach a point, or None when unknown.

    Answers are cached for ``COURIER_CACHE_SECONDS`` per ~100 m square: courier supply moves on
    a scale of minutes, and a burst of checkouts at one pharmacy should not each ask dispatch.
    """
    key = (round(lat, 3), round(lng, 3))
    cached = _courier_cache.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    minutes = await _ask_dispatch(session, lat, lng)
    if len(_courier_cache) > 10_000:
        _courier_cache.clear()
    _courier_cache[key] = (now + COURIER_CACHE_SECONDS, minutes)
    return minutes


async def _ask_dispatch(session: AsyncSession, lat: float, lng: float) -> float | None:
    try:
        dispatch = importlib.import_module("medrush.dispatch")
    except ImportError:
        return None
    nearest: Callable[..., Awaitable[float | None]] | None = getattr(
        dispatch, "nearest_courier_minutes", None
    )
    if nearest is None:
        return None
    try:
        return await nearest(session, lat, lng)
    except Exception:  # courier supply is advisory; the default keeps checkout working
        log.exception("nearest_courier_minutes failed; using the default")
        return None


def set_safety_checker(checker: SafetyChecker | None) -> None:
    """Replace the safety engine (tests install fakes); None restores ``medrush.safety.check``."""
    global _safety_checker
    _safety_checker = checker


def _engine_check(request: dict[str, Any]) -> Any:
    """``medrush.safety.check`` with catalog look-ups and the deployment's jurisdiction; None if absent."""
    try:
        safety = importlib.import_module("medrush.safety")
    except ImportError:
        return None
    from medrush.settings import get_settings

    # The engine's own ports: identity matches only, so "headache" never resolves to a medicine.
    resolve, get = safety.catalog_ports()
    return safety.check(request, resolve=resolve, get=get, jurisdiction=get_settings().jurisdiction)


async def run_safety_check(request: dict[str, Any]) -> SafetyVerdict | None:
    """Ask the safety engine about a checkout; None when no engine is installed.

    A request the engine finds malformed (say, an unknown patient field) is InvalidInput.
    """
    checker = _safety_checker or _engine_check
    try:
        result = checker(request)
        if inspect.isawaitable(result):
            result = await result
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        from medrush.kernel.errors import InvalidInput

        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput("safety check input: {detail}", code="bad_safety_input", detail=detail) from exc
    if result is None:
        return None
    if hasattr(result, "to_json_dict"):
        result = result.to_json_dict()
    elif hasattr(result, "to_dict"):
        result = result.to_dict()
    elif not isinstance(result, dict):
        result = {
            "level": getattr(result, "level", "allow"),
            "findings": list(getattr(result, "findings", [])),
        }
    findings = [f if isinstance(f, dict) else {"message": str(f)} for f in result["findings"]]
    return SafetyVerdict(level=str(result["level"]), findings=findings)
