"""python -m generator: the chancery command."""

from .cli import run

run()
