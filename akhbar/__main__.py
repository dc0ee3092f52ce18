"""`python -m akhbar` runs the CLI."""

from akhbar.cli import main

main()
