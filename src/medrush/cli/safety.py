"""``medrush safety ...`` commands: check a request file against the safety engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="Medication safety: red flags, contraindications, interactions.")


@app.callback()
def _group() -> None:
    """Medication safety commands."""


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


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
        text = typer.get_text_stream("stdin").read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}")
        return
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{file} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    if not isinstance(raw, dict):
        _fail(f"{file}: expected a JSON object with patient, items and symptoms")
    try:
        request = SafetyRequest.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'request'}: {err['msg']}" for err in exc.errors()[:5]
        )
        _fail(f"{file}: {problems}")
        return
    resolve, get = catalog_ports()
    result = check(request, resolve=resolve, get=get, lang=lang, jurisdiction=jurisdiction)
    if as_json:
        typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"level: {result.level}")
    for finding in result.findings:
        typer.echo(f"- [{finding.severity}] {finding.code}: {finding.message}")
        if finding.source:
            typer.echo(f"    source: {finding.source}")
