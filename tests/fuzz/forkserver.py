"""A fork server for the fuzz suite: imports the command line once, then runs each request in
a forked child under a memory and CPU limit (resource.setrlimit) and a wall-clock alarm.

Protocol, one JSON object a line: the request `{"args": [...], "cwd": "...", "timeout": s}`
on stdin, the answer `{"code": int | null, "signal": int | null, "stdout": "...",
"stderr": "...", "hung": bool}` on stdout. Forking from a process that has imported but not
run pyarrow, pandas or pandera keeps every child as fresh as a new command (no thread pool
has started) at a hundredth of the cost of starting Python.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
from typing import Any

# Bytes of address space a run may add to the server's own. polars (pandera's engine) reserves
# about 1.6 GiB of address space at its first query, not memory it uses: one 1 GiB region and
# a 64 MiB malloc arena per thread of its pool; so 1 GiB of real use plus that.
MEMORY_LIMIT = (1 << 30) + (2 << 30)


def _child(request: dict[str, Any], out: int, err: int, timeout: float, base: int) -> None:
    args: list[str] = request["args"]
    os.chdir(request["cwd"])
    if request.get("umask") is not None:
        os.umask(int(request["umask"]))
    os.dup2(out, 1)
    os.dup2(err, 2)
    limit = base + MEMORY_LIMIT
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    from datacontract.cli.main import main

    code = 0
    try:
        main(args, prog_name="datacontract")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def serve() -> None:
    import datacontract.check.compile  # pandera and polars: imported, no thread started
    import datacontract.check.validate
    import datacontract.cli.main
    import datacontract.flow.prover
    import datacontract.report.validation  # noqa: F401

    base = _address_space()
    for line in sys.stdin:
        request = json.loads(line)
        timeout = float(request.get("timeout", 60))
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    _child(request, out.fileno(), err.fileno(), timeout, base)
                finally:
                    os._exit(71)
            deadline = time.monotonic() + timeout
            hung = False
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    hung = True
                    os.kill(pid, signal.SIGKILL)
                    _, status = os.waitpid(pid, 0)
                    break
                time.sleep(0.005)
            out.seek(0)
            err.seek(0)
            answer = {
                "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"),
                "hung": hung,
            }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
