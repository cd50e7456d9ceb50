"""Translations of pages and messages in zh-CN, ko and en, from Babel ``.po`` catalogues."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

__all__ = ["LANGUAGES", "N_", "gettext", "negotiate", "translations"]

LANGUAGES = ("en", "zh", "ko")
_CATALOGUE_DIR = {"zh": "zh_CN", "ko": "ko", "en": "en"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=8)
def translations(lang: str) -> dict[str, str]:
    """msgid -> msgstr for one language (English falls back to the msgid)."""
    folder = _CATALOGUE_DIR.get(lang)
    if folder is None:
        return {}
    path = LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=folder)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def gettext(lang: str, message: str) -> str:
    """Translate a message into ``lang``, or return it unchanged."""
    return translations(lang).get(message, message)


def negotiate(accept_language: str | None, explicit: str | None = None) -> str:
    """Pick zh, ko or en from an explicit choice or an Accept-Language header."""
    for candidate in (explicit, *(accept_language or "").split(",")):
        if not candidate:
            continue
        tag = candidate.split(";")[0].strip().lower()
        primary = tag.split("-")[0].split("_")[0]
        if primary in LANGUAGES:
            return primary
    return "en"


def N_(message: str) -> str:
    """Mark a text for translation where it is defined; it is translated where it is shown."""
    return message
