"""`python -m sitegen` is the `sitegen` command."""

from .cli import run

run()
