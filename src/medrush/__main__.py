"""Run the medrush command with ``python -m medrush``."""

from medrush.cli import main

main()
