"""``siteledger witness …``: the witness service's command line under the ``siteledger`` shell.

The witness is another institution's program (its own package, ``witness/``, which imports only
``ledger.core`` and the verifier); this command only hands its arguments to ``witness.cli`` so
that ``siteledger witness run …`` and ``siteledger-witness run …`` are the same thing.
"""

from __future__ import annotations

import click


@click.command(
    "witness",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                      "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def witness(args: tuple[str, ...]) -> None:
    """Run a witness: `siteledger witness keygen|run …` (see docs/witnesses.md; --help for options)."""
    from witness.cli import main as witness_main

    raise SystemExit(witness_main(list(args)))
