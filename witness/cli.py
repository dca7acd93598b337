"""``siteledger-witness``: the command an institution runs (``docs/witnesses.md``).

    siteledger-witness keygen --key FILE            new key; prints {"public_key", "pop"}
    siteledger-witness run --key FILE --data-dir DIR --operator URL --token-file FILE \\
        --chain-id N --contract 0x… [--bank-serials FILE] [--listen 127.0.0.1:8600] [--interval 2]
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from verifier import bls12381
from witness.bank import BankCheck
from witness.bls import WitnessKey
from witness.client import OperatorClient
from witness.core import InstitutionCheck, Witness
from witness.errors import WitnessError
from witness.message import contract_address
from witness.service import Service


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="siteledger-witness", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    kg = sub.add_parser("keygen", help="create a witness key file (never overwritten)")
    kg.add_argument("--key", type=Path, required=True)
    run = sub.add_parser("run", help="follow the operator, sign, serve cosignatures")
    run.add_argument("--key", type=Path, required=True)
    run.add_argument("--data-dir", type=Path, required=True)
    run.add_argument("--operator", required=True, help="the operator API's base URL")
    run.add_argument("--token-file", type=Path, required=True)
    run.add_argument("--chain-id", type=int, required=True)
    run.add_argument("--contract", required=True)
    run.add_argument("--bank-serials", type=Path, help="the bank plug-in's executed serials file")
    run.add_argument("--listen", default="127.0.0.1:8600")
    run.add_argument("--interval", type=float, default=2.0)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        bls12381.requested()  # SITELEDGER_BLS names a backend that loads, or is unset
        if a.command == "keygen":
            key = WitnessKey.generate()
            key.save(a.key)
            print(json.dumps({"public_key": key.public_key.hex(), "pop": key.pop().hex()}))
            return 0
        checks: list[InstitutionCheck] = [BankCheck(a.bank_serials)] if a.bank_serials else []
        witness = Witness(WitnessKey.load(a.key), a.data_dir, a.chain_id,
                          contract_address(a.contract), checks)  # fmt: skip
        token = a.token_file.read_text().strip()
        service = Service(witness, OperatorClient(a.operator, token), a.data_dir)
        host, _, port = a.listen.rpartition(":")
        server = service.http_server(host, int(port))
    except (WitnessError, bls12381.CurveError, OSError, ValueError) as exc:
        print(f"siteledger-witness: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"listening on http://{host}:{server.server_port}", flush=True)
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    service.run(stop, a.interval)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
