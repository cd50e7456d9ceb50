"""Every page text and error message has a Simplified Chinese and a Korean translation, and
placeholders survive.

The texts are extracted afresh (as ``make messages`` does, into a temporary directory), so a text
added to a template, marked with ``N_`` or raised as a domain error without being translated fails
here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from medrush.kernel.i18n import gettext

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "medrush" / "locale"
TRANSLATED = ("zh_CN", "ko")
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[sdrf]|%[sdrf]|\{[A-Za-z_]\w*(?:![rsa])?(?::[^{}]*)?\}|&[A-Za-z]+;|&#\d+;"
)
# the keywords `make messages` extracts with: page texts, the domain errors' and validators' messages
KEYWORDS = (
    "N_",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "Unauthenticated",
    "Conflict",
    "RateLimited",
    "Unavailable",
    "DomainError",
    "InvalidValue",
)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def _lost_placeholders(msgid: str, msgstr: str) -> Counter[str]:
    return _placeholders(msgid) - _placeholders(msgstr)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The msgids `make messages` would extract today."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "--quiet"]
    subprocess.run(
        [*pybabel, "extract", "-F", "babel.cfg", *(f"-k{k}" for k in KEYWORDS), "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return sorted(str(m.id) for m in _read(pot) if m.id)


def _catalogue(lang: str) -> Catalog:
    return _read(LOCALE / lang / "LC_MESSAGES" / "messages.po", locale=lang)


def test_extraction_finds_the_page_texts(extracted: list[str]) -> None:
    assert "Pharmacy console" in extracted  # an N_-marked label in Python
    assert "Check out and pay" in extracted  # a template text
    assert "no product {medicine_id}" in extracted  # a domain error with a value in it
    assert len(extracted) == len(set(extracted))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_extracted_text_is_translated(extracted: list[str], lang: str) -> None:
    catalogue = _catalogue(lang)
    missing = [msgid for msgid in extracted if msgid not in catalogue or not catalogue[msgid].string]
    assert missing == []


@pytest.mark.parametrize("lang", (*TRANSLATED, "en"))
def test_no_fuzzy_entries(lang: str) -> None:
    catalogue = _catalogue(lang)
    assert [str(m.id) for m in catalogue if m.id and m.fuzzy] == []


def test_english_falls_back_to_the_msgid() -> None:
    catalogue = _catalogue("en")
    assert [str(m.id) for m in catalogue if m.id and m.string] == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_and_entities_survive(lang: str) -> None:
    catalogue = _catalogue(lang)
    lost = {
        str(m.id): sorted(_lost_placeholders(str(m.id), str(m.string)))
        for m in catalogue
        if m.id and m.string and _lost_placeholders(str(m.id), str(m.string))
    }
    assert lost == {}


def test_placeholder_check_catches_a_lost_name() -> None:
    assert _lost_placeholders("Hello %(name)s, {count} new &amp; old", "你好") == Counter(
        {"%(name)s": 1, "{count}": 1, "&amp;": 1}
    )
    assert _lost_placeholders("Hello %(name)s", "%(name)s 你好") == Counter()
    assert _lost_placeholders("unknown {name!r}", "未知 {name}") == Counter({"{name!r}": 1})


@pytest.mark.parametrize(
    ("lang", "msgid", "expected"),
    [
        ("zh", "Cart", "购物车"),
        ("ko", "Cart", "장바구니"),
        ("zh", "Start picking", "开始拣货"),
        ("ko", "Prescription reviews", "처방전 검토"),
        ("en", "Cart", "Cart"),
    ],
)
def test_pages_look_texts_up_by_msgid(lang: str, msgid: str, expected: str) -> None:
    assert gettext(lang, msgid) == expected


def test_a_domain_error_is_translated_around_its_values() -> None:
    from medrush.kernel.errors import InvalidInput, NotFound

    missing = NotFound("no product {medicine_id}", code="unknown_medicine", medicine_id="x-1")
    assert (missing.message, missing.translated("zh"), missing.translated("en")) == (
        "no product x-1",
        "没有商品 x-1",
        "no product x-1",
    )
    assert str(missing) == "no product x-1"
    unknown = InvalidInput("unknown medicine {medicine_id!r}", medicine_id="x")
    assert unknown.translated("ko") == "알 수 없는 약 'x'"
    plain = InvalidInput("sign in first")
    assert plain.translated("zh") == "请先登录"


def test_a_translation_that_lost_a_field_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    from medrush.kernel import errors

    monkeypatch.setattr(errors, "gettext", lambda lang, message: "坏了 {other}")
    assert errors.InvalidInput("at most {n} items", n=3).translated("zh") == "at most 3 items"
