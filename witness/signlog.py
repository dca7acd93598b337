"""The durable never-sign-twice log of a witness (``docs/witnesses.md``, "Sign log").

One line per signed batch, ``<batch_no> <sha256(message) hex>\n``, appended and fsync'd
**before** the signature leaves the process. On open, a last line without its newline (the
process died while writing it) is cut off: its signature was never handed out. So after a
kill -9 at any instant, every signature the witness ever gave is in the log, and the witness
never signs a second, different message for a batch number it signed.
"""

from __future__ import annotations

import os
from hashlib import sha256
from pathlib import Path

from witness.errors import EquivocationRefused, WitnessError

FILE_NAME = "signed.log"


class SignLog:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / FILE_NAME
        self.signed: dict[int, bytes] = {}
        new = not self.path.exists()
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        if new:
            dfd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            os.truncate(self.path, len(complete))  # a torn last line: never handed out
            os.fsync(self._fd)
        for n, line in enumerate(complete.splitlines(), 1):
            parts = line.split(b" ")
            try:
                batch_no, digest = int(parts[0]), bytes.fromhex(parts[1].decode())
                if len(parts) != 2 or len(digest) != 32 or batch_no < 0:
                    raise ValueError
            except (ValueError, IndexError) as exc:
                raise WitnessError(f"{self.path}: line {n} is corrupt") from exc
            if self.signed.get(batch_no, digest) != digest:
                raise WitnessError(f"{self.path}: batch {batch_no} is signed twice, differently")
            self.signed[batch_no] = digest

    @property
    def last(self) -> int | None:
        """The highest batch number signed, or None."""
        return max(self.signed) if self.signed else None

    def check(self, batch_no: int, message: bytes) -> None:
        """Return None if signing ``message`` for ``batch_no`` would not equivocate; else raise."""
        digest = sha256(message).digest()
        prior = self.signed.get(batch_no)
        if prior is not None and prior != digest:
            raise EquivocationRefused(
                f"batch {batch_no} was already signed with another message "
                f"(sha256 {prior.hex()}); refusing to sign {digest.hex()}"
            )

    def record(self, batch_no: int, message: bytes) -> None:
        """Make the decision to sign ``message`` for ``batch_no`` durable (idempotent)."""
        self.check(batch_no, message)
        if batch_no in self.signed:
            return
        digest = sha256(message).digest()
        line = f"{batch_no} {digest.hex()}\n".encode()
        if os.write(self._fd, line) != len(line):
            raise WitnessError(f"{self.path}: short write")
        os.fsync(self._fd)
        self.signed[batch_no] = digest

    def close(self) -> None:
        os.close(self._fd)
