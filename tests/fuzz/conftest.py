"""The fuzz suite's harness: every run of the command line is a forked child of one fork
server (forkserver.py) under a memory limit (1 GiB of address space beyond the server's own),
a CPU limit and a wall-clock timeout, and every answer is held to the same property:

- an exit code in {0, 1, 2}, within the timeout, not killed by a signal (a segfault, the
  memory limit, the CPU limit);
- no traceback and no "internal error" in anything printed;
- no planted canary value (a synthetic national number) echoed.

`FUZZ_EXAMPLES` sets how many mutations hypothesis tries per format (a few in `make test`,
hundreds in `make fuzz`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "60"))


@dataclass(frozen=True)
class Answer:
    """What one run left behind."""

    args: tuple[str, ...]
    code: int | None
    signal: int | None
    stdout: str
    stderr: str
    hung: bool

    @property
    def everything(self) -> str:
        return self.stdout + self.stderr

    def well_behaved(self, *canaries: str) -> None:
        """The fuzz property; fails naming the command and what it printed."""
        said = f"{' '.join(self.args)}\n--- stdout\n{self.stdout[-2000:]}\n--- stderr\n{self.stderr[-2000:]}"
        assert not self.hung, f"hung (killed after {TIMEOUT:g} s): {said}"
        assert self.signal is None, f"killed by signal {self.signal}: {said}"
        assert self.code in (0, 1, 2), f"exit {self.code}: {said}"
        assert "Traceback" not in self.everything, said
        assert "internal error" not in self.everything, said
        for canary in canaries:
            assert canary not in self.everything, f"canary echoed: {said}"


class ForkServer:
    """Runs the command line in forked children of one long-lived process."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATACONTRACT_DEBUG", None)
        self._process = subprocess.Popen(
            [sys.executable, str(HERE / "forkserver.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lock = threading.Lock()

    def run(
        self, *args: str | Path, cwd: Path, timeout: float = TIMEOUT, umask: int | None = None
    ) -> Answer:
        """Run `datacontract ARGS` in `cwd` (under `umask` if given) and return its answer."""
        request = {
            "args": [str(a) for a in args],
            "cwd": str(cwd),
            "timeout": timeout,
            "umask": umask,
        }
        with self._lock:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the fork server died")
        reply = json.loads(line)
        return Answer(tuple(request["args"]), **reply)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


@pytest.fixture(scope="session")
def server() -> Iterator[ForkServer]:
    running = ForkServer()
    yield running
    running.close()
