"""The ``medrush`` command: one Typer app, each domain's commands in its own module of this package."""

from __future__ import annotations

import typer

from medrush.cli import dispatch

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False, help="medrush: urgent medicine platform")
app.add_typer(dispatch.app, name="dispatch")


def main() -> None:
    """Entry point of the console script."""
    app()
