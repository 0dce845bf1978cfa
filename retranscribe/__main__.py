"""``python -m retranscribe``: the same command as the ``retranscribe`` script. The one place
the ground reaches up (to the CLI), allowed by name in the layer contract (pyproject.toml)."""

from flows.cli import main

main()
