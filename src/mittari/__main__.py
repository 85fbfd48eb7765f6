"""`python -m mittari …` is the `mittari` command."""

from mittari.cli.main import main

main()
