"""``medrush dispatch ...`` commands."""

import typer

app = typer.Typer(no_args_is_help=True, help="Courier dispatch: the MDRP benchmark and live dispatch.")
