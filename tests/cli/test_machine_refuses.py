"""When the machine refuses a write (issue 28): a full disk, a file over the size limit, a
closed pipe. Every writer is all-or-nothing: the command ends with exit 2 and a message, never
"internal error", and leaves nothing half-made behind (a sample, a key pair); a retry once
there is room works. The full disk is RLIMIT_FSIZE in the child (writes past the limit fail
with EFBIG, SIGXFSZ ignored) or /dev/full; the closed pipe is a reader that went away."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import CONTRACT

PY = [sys.executable, "-m", "datacontract"]


def _limited(limit: int):  # type: ignore[no-untyped-def]
    def set_limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return set_limit


def _run(
    *args: str | Path, limit: int | None = None, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PY, *map(str, args)],
        capture_output=stdout == subprocess.PIPE,
        stdout=None if stdout == subprocess.PIPE else stdout,
        stderr=None if stdout == subprocess.PIPE else subprocess.PIPE,
        text=True,
        timeout=300,
        preexec_fn=_limited(limit) if limit is not None else None,
    )


def _clean_refusal(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode == 2, run.stderr
    assert "internal error" not in run.stderr
    assert "Traceback" not in run.stderr
    assert "Exception ignored" not in run.stderr


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A folder on a 16 KiB tmpfs (CI runs as root, as this workplace does)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True
    )
    assert mounted.returncode == 0, "the full-disk tests need root to mount a small tmpfs"
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("extension", [".csv", ".parquet", ".jsonl", ".json", ".xlsx", ".ods"])
def test_a_sample_on_a_full_disk_leaves_nothing(small_disk: Path, extension: str) -> None:
    out = small_disk / f"sample{extension}"
    args = ("sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "2000")
    run = _run(*args, "--output", out)
    _clean_refusal(run)
    assert "could not be written" in run.stderr
    assert list(small_disk.iterdir()) == []


@pytest.mark.parametrize("extension", [".csv", ".parquet", ".jsonl", ".json", ".ods"])
def test_a_sample_over_the_file_size_limit_leaves_nothing(tmp_path: Path, extension: str) -> None:
    out = tmp_path / f"sample{extension}"
    args = ("sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "400")
    run = _run(*args, "--output", out, limit=2_000)
    _clean_refusal(run)
    assert "could not be written" in run.stderr
    assert list(tmp_path.iterdir()) == []
    again = _run(*args, "--output", out)
    assert again.returncode == 0, again.stderr
    assert out.stat().st_size > 2_000


def test_a_key_pair_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    run = _run("keys", "new", "--party", "fons", "--out", folder, limit=60)
    _clean_refusal(run)
    assert not any(folder.iterdir()), "a half-made key pair was left behind"
    again = _run("keys", "new", "--party", "fons", "--out", folder)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["fons.key", "fons.pub"]
    assert (folder / "fons.key").stat().st_mode & 0o777 == 0o600


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data") / "dataset_4.csv"
    made = _run(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "50", "--output", out
    )
    assert made.returncode == 0, made.stderr
    return out


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif"])
def test_a_report_that_cannot_reach_stdout_is_no_pass(data_file: Path, fmt: str) -> None:
    """`validate --format json > report.json` on a full disk: CI must not take a missing
    report for a pass, so the command fails with exit 2 and says the report is missing."""
    with open("/dev/full", "w") as full:
        run = _run(
            "validate",
            data_file,
            "--contract",
            CONTRACT,
            "--dataset",
            "dataset_4",
            "--format",
            fmt,
            stdout=full.fileno(),
        )
    _clean_refusal(run)
    assert "the report could not be written" in run.stderr


def test_a_report_into_a_closed_pipe_is_no_pass(data_file: Path) -> None:
    child = subprocess.Popen(
        [
            *PY,
            "validate",
            str(data_file),
            "--contract",
            str(CONTRACT),
            "--dataset",
            "dataset_4",
            "--format",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader went away before a byte was read
    err = child.stderr.read().decode()
    assert child.wait(timeout=300) == 2, err
    assert "the report could not be written" in err
    assert "internal error" not in err and "Traceback" not in err


def test_a_report_file_on_a_full_disk_is_not_left_half_written(
    data_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    run = _run(
        "validate",
        data_file,
        "--contract",
        CONTRACT,
        "--dataset",
        "dataset_4",
        "--format",
        "json",
        "--output",
        target,
        limit=64,
    )
    _clean_refusal(run)
    assert list(tmp_path.iterdir()) == []


def test_the_environment_is_what_the_tests_assume() -> None:
    assert os.path.exists("/dev/full")
