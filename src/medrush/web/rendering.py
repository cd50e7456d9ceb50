"""Server-rendered pages: one Jinja2 environment with translations, CSRF and the current user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.requests import HTTPConnection

from medrush.kernel.i18n import LANGUAGES, gettext, negotiate
from medrush.web.vocabulary import (
    AUDIT_ACTION_LABELS,
    JURISDICTION_LABELS,
    ONLY_IN_LABELS,
    ORDER_STATUS_LABELS,
    REJECT_REASON_LABELS,
    RULE_KIND_LABELS,
    WEEKDAYS,
)

__all__ = ["TEMPLATES", "page_lang", "render"]

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ko": "한국어"}


def page_lang(request: HTTPConnection) -> str:
    """The page language: ?lang=, then the lang cookie, then the signed-in user, then Accept-Language.

    Pages and WebSockets alike (both are HTTP connections).
    """
    explicit = request.query_params.get("lang") or request.cookies.get("lang")
    user = getattr(request.state, "user", None)
    if not explicit and user is not None:
        explicit = user.locale
    return negotiate(request.headers.get("accept-language"), explicit)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the request's language, user and CSRF token."""
    lang = page_lang(request)

    def label(labels: dict[str, str], code: str) -> str:
        return gettext(lang, labels[code]) if code in labels else code.replace("_", " ")

    status_labels = {code: gettext(lang, text) for code, text in ORDER_STATUS_LABELS.items()}
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "_": lambda message: gettext(lang, message),
        "status_label": lambda code: status_labels.get(code) or code.replace("_", " "),
        "status_labels": status_labels,
        "reason_label": lambda code: label(REJECT_REASON_LABELS, code),
        "rule_kind_label": lambda code: label(RULE_KIND_LABELS, code),
        "audit_action_label": lambda code: label(AUDIT_ACTION_LABELS, code),
        "jurisdiction_label": lambda code: label(JURISDICTION_LABELS, code),
        "only_in_label": lambda code: label(ONLY_IN_LABELS, code),
        "weekday": lambda number: gettext(lang, WEEKDAYS[number]),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }
    ctx.update(context or {})
    response = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", request.query_params["lang"], max_age=365 * 86400, samesite="lax")
    return response
