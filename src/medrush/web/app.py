"""The FastAPI application factory: API routes, pages, static files, health and metrics."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from medrush import __version__
from medrush.kernel import db
from medrush.kernel.domains import import_domain_module
from medrush.settings import get_settings
from medrush.web.errors import error_body, install_error_handlers
from medrush.web.observability import BodySizeLimit, RequestContext, configure_logging

__all__ = ["ROUTER_MODULES", "create_app"]

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
PHOTO_MAX_BYTES = 5 * 1024 * 1024 + 1024  # a consultation photo (5 MB) and its envelope
# Every module exposing ``router``; API modules first. A module that does not exist yet is skipped.
ROUTER_MODULES = (
    "web.api.v1.accounts",
    "web.api.v1.catalog",
    "web.api.v1.safety",
    "web.api.v1.pharmacies",
    "web.api.v1.orders",
    "web.api.v1.dispatch",
    "web.api.v1.consult",
    "web.api.v1.prescriptions",
    "web.api.v1.simulation",
    "web.pages.accounts",
    "web.pages.console",
    "web.pages.catalog",
    "web.pages.safety",
    "web.pages.shop",
    "web.pages.consult",
    "web.pages.merchant",
    "web.pages.courier",
    "web.pages.clinician",
    "web.pages.operator",
    "web.pages.home",
)


async def _startup_hooks() -> None:
    try:
        from medrush.catalog import rebuild_index
    except ImportError:
        return
    async with db.session_scope() as session:
        await rebuild_index(session)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the background bus/relay and warm the search index; stop them on shutdown."""
    from medrush.worker import Background

    background = Background(relay=get_settings().inprocess_worker)
    await background.start()
    await _startup_hooks()
    # What start-up built (the search index, the safety knowledge, routes) lives as long as the
    # process: moved out of the collector's sight, it no longer makes every full collection walk
    # hundreds of megabytes, which showed as pauses of up to a second under load.
    gc.collect()
    gc.freeze()
    app.state.background = background
    try:
        yield
    finally:
        await background.stop()
        await db.dispose()


def create_app(*, with_lifespan: bool = True) -> FastAPI:
    """A new application instance configured from the settings."""
    settings = get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="medrush",
        version=__version__,
        description="Urgent medicine: partner pharmacies, 30-minute delivery, free online consultation.",
        lifespan=lifespan if with_lifespan else None,
    )
    install_error_handlers(app)
    photos = ("/api/v1/consultations/", "/attachments", max(settings.max_body_bytes, PHOTO_MAX_BYTES))
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes, larger=(photos,))
    app.add_middleware(RequestContext)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> Response:
        """Liveness and database reachability."""
        try:
            async with db.get_engine().connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - report, do not crash, when the database is away
            return JSONResponse(error_body("unavailable", f"database unreachable: {type(exc).__name__}"), 503)
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus text exposition of this process's metrics."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for name in ROUTER_MODULES:
        module = import_domain_module(name)
        if module is not None:
            app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
