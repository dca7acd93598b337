"""HTTP API and the ``siteledger`` command line: the outer layer that ties ledger and anchor."""
