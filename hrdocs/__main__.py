"""``python -m hrdocs`` runs the command line, like the ``hrdocs`` script."""

from hrdocs.cli import main

main()
