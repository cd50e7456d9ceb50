"""``medrush safety ...`` commands: check a request file against the safety engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medrush.kernel.i18n import N_, gettext
from medrush.web.validation import translate_error

if TYPE_CHECKING:
    from pydantic import ValidationError

app = typer.Typer(no_args_is_help=True, help="Medication safety: red flags, contraindications, interactions.")


@app.callback()
def _group() -> None:
    """Medication safety commands."""


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _json_type(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# pydantic's own messages do not name the value; the CLI adds it
_GOT = N_("{message} (got {value})")


def _problems(exc: ValidationError, lang: str) -> str:
    """The first validation errors on one line: ``patient.age_years: expected ... (got 'old')``.

    In ``lang`` where the catalogues have the message (``--lang``; English without it).
    """
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "request"
        msg = translate_error(err, lang).removeprefix("Value error, ")
        if err["type"] in (
            "greater_than_equal",
            "less_than_equal",
            "too_long",
            "string_too_long",
            "literal_error",
        ):
            msg = gettext(lang, _GOT).format(message=msg, value=_short(err.get("input")))
        parts.append(f"{where}: {msg}")
    return " ".join("; ".join(parts).split())


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="a JSON request: patient, items, symptoms ('-' for stdin)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    lang: Annotated[str | None, typer.Option(help="language of the messages: en, zh or ko")] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="cn, kr or generic (default MEDRUSH_JURISDICTION)")
    ] = None,
) -> None:
    """Check one request and print the level and findings; exit 2 on a bad file."""
    from pydantic import ValidationError

    from medrush.safety import SafetyRequest, check
    from medrush.safety.ports import catalog_ports

    if lang is not None and lang not in ("en", "zh", "ko"):
        _fail("--lang must be en, zh or ko")
    if jurisdiction is not None and jurisdiction not in ("cn", "kr", "generic"):
        _fail("--jurisdiction must be cn, kr or generic")
    try:
        if str(file) == "-":
            text = typer.get_text_stream("stdin").read()
        else:
            text = file.read_bytes().decode("utf-8-sig")  # a byte-order mark is not an error
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")
        return
    except UnicodeDecodeError as exc:
        _fail(f"cannot read {file}: not UTF-8 text (byte {exc.start})")
        return
    text = text.lstrip("\ufeff")
    if not text.strip():
        _fail(f"{file} is empty: expected a JSON object with patient, items and symptoms")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{file} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    except RecursionError:
        _fail(f"{file} is not valid JSON: nested too deeply")
        return
    if not isinstance(raw, dict):
        _fail(f"{file}: expected a JSON object with patient, items and symptoms, got {_json_type(raw)}")
    try:
        request = SafetyRequest.model_validate(raw)
    except ValidationError as exc:
        _fail(f"{file}: {_problems(exc, lang or 'en')}")
        return
    try:
        resolve, get = catalog_ports()
        result = check(request, resolve=resolve, get=get, lang=lang, jurisdiction=jurisdiction)
    except Exception as exc:  # noqa: BLE001 - a checker must get one line, never a traceback
        typer.echo(f"error: {file}: the check failed: {type(exc).__name__}: {exc}".splitlines()[0], err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"level: {result.level}")
    for finding in result.findings:
        typer.echo(f"- [{finding.severity}] {finding.code}: {finding.message}")
        if finding.source:
            typer.echo(f"    source: {finding.source}")
