"""Every error leaves as a JSON body ``{"error": {"code", "message"}}`` (or an HTML page for pages)."""

from __future__ import annotations

import logging
from typing import Any

from asyncpg import PostgresError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from medrush.kernel.errors import DomainError
from medrush.kernel.i18n import N_, gettext
from medrush.web.validation import translate_error

__all__ = ["error_body", "install_error_handlers"]

log = logging.getLogger(__name__)
# SQLSTATEs of text PostgreSQL cannot store: character_not_in_repertoire (a NUL in text),
# untranslatable_character (a \u0000 escape in JSONB)
UNSTORABLE_TEXT = frozenset({"22021", "22P05"})


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON shape of an error."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _render(request: Request, status: int, code: str, message: str, details: Any = None) -> Response:
    from medrush.web.rendering import page_lang, render

    # in the reader's language when the catalogue has the message (the code stays the same); a
    # domain error arrives translated already and its text is no msgid
    message = gettext(page_lang(request), message)
    if _wants_html(request):
        return render(
            request, "layout/error.html", {"status": status, "message": message}, status_code=status
        )
    return JSONResponse(error_body(code, message, details), status_code=status)


def _describe(errors: list[Any]) -> str:
    """``where: what; ...`` of the first five (their ``msg`` already in the reader's language)."""
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def _unstorable(request: Request) -> Response:
    """A NUL character in some text: PostgreSQL refused it and the transaction rolled back."""
    return _render(request, 422, "invalid_text", N_("text must not contain NUL characters"))


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors, HTTP errors and crashes to clear responses."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        from medrush.web.rendering import page_lang

        return _render(request, exc.status, exc.code, exc.translated(page_lang(request)), exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        from medrush.web.rendering import page_lang

        lang = page_lang(request)
        # same shape in every language: ``type`` and ``loc`` stay, ``msg`` is in the reader's language
        errors = [
            {"loc": list(e.get("loc", ())), "msg": translate_error(e, lang), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _render(request, 422, "invalid_input", _describe(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}
        response = _render(request, exc.status_code, code.get(exc.status_code, "http_error"), str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        rid = getattr(request.state, "request_id", None)
        return _render(request, 500, "internal", f"internal error (request id {rid})")

    @app.exception_handler(PostgresError)
    async def _driver(request: Request, exc: PostgresError) -> Response:
        # from the hot paths that talk to asyncpg directly (``db.driver``)
        if getattr(exc, "sqlstate", None) in UNSTORABLE_TEXT:
            return _unstorable(request)
        return await _crash(request, exc)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> Response:
        if getattr(exc.orig, "sqlstate", None) in UNSTORABLE_TEXT:
            return _unstorable(request)
        if not exc.connection_invalidated:
            return await _crash(request, exc)
        # the server dropped the connection (restart, failover): the pool is rebuilt, retry
        log.warning("database connection lost on %s %s", request.method, request.url.path)
        response = _render(
            request, 503, "database_unavailable", N_("the database connection was lost; retry")
        )
        response.headers["Retry-After"] = "1"
        return response
