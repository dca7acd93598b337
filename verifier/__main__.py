"""``python -m verifier``: the same as ``siteledger-verify``."""

from verifier.cli import main

raise SystemExit(main())
