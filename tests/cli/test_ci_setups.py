"""The CI setups the project publishes, run as CI would run them: the pre-commit hooks on a
git repository with staged files, and every `datacontract` step of the example GitHub Actions
workflow on synthetic exports. Offline: the hook that uses the installed `datacontract` runs;
the `language: python` one (pre-commit installs the tool from PyPI) is checked against the
same manifest schema and must run the same command on the same files."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from tests.conftest import CONTRACT, ROOT, run_cli

BIN = Path(sys.executable).parent
GIT = (
    "git",
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.org",
    "-c",
    "init.defaultBranch=main",
)


def sample(path: Path, rows: int = 6) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    run = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", str(rows),
        "--output", path,
    )  # fmt: skip
    assert run.code == 0, run.everything
    return path


def broken(path: Path) -> Path:
    """A dataset_4 file with a column the contract does not allow."""
    sample(path)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*rows[0], "opmerking"], *[[*r, "x"] for r in rows[1:]]])
    return path


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    out["PATH"] = f"{BIN}{os.pathsep}{out.get('PATH', '')}"
    return {**out, **extra}


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def test_the_hook_manifest_is_valid_and_both_hooks_run_the_same_command() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    check = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", manifest],
        capture_output=True, text=True, env=env(),
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    hooks = {h["id"]: h for h in yaml.safe_load(manifest.read_text(encoding="utf-8"))}
    python, installed = hooks["datacontract-validate"], hooks["datacontract-validate-installed"]
    assert python["language"] == "python" and installed["language"] == "system"
    for key in ("entry", "files", "types", "require_serial"):
        assert python[key] == installed[key], key
    assert python["entry"] == "datacontract validate"
    files = re.compile(python["files"])
    # every extension only data files carry (the registry's, less what prose shares), any case
    from datacontract.read.formats import FORMATS, hook_extensions

    for suffix in hook_extensions():
        for name in (f"x/a{suffix}", f"x/A{suffix.upper()}", f"x/a{suffix.title()}"):
            assert files.search(name), name
    prose = [e for f in FORMATS.values() for e in f.prose_extensions]
    assert ".txt" in prose
    for name in ("README.md", "contract.yaml", "a.csv.manifest.json.bak", "script.py",
                 *(f"exports/README{e}" for e in prose), "exports/NOTES.TXT"):  # fmt: skip
        assert not files.search(name), name


def test_pre_commit_refuses_a_staged_file_that_breaks_the_contract(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-qm", "hooks")
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True, check=True
    ).stdout.strip()
    repo = tmp_path / "exports"
    repo.mkdir()
    git(repo, "init", "-q")
    config = {
        "repos": [
            {
                "repo": str(hooks),
                "rev": rev,
                "hooks": [
                    {
                        "id": "datacontract-validate-installed",
                        "args": ["--contract", str(CONTRACT), "--dataset", "dataset_4"],
                    }
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    sample(repo / "committed.csv")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", "--no-verify")
    broken(repo / "staged.csv")
    (repo / "notes.md").write_text("not data\n", encoding="utf-8")
    (repo / "README.txt").write_text("How these exports are made.\n", encoding="utf-8")
    git(repo, "add", "staged.csv", "notes.md", "README.txt")

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run"],
            cwd=repo, capture_output=True, text=True,
            env=env(PRE_COMMIT_HOME=str(tmp_path / "cache")),
        )  # fmt: skip

    run = pre_commit()
    assert run.returncode == 1, run.stdout + run.stderr
    assert "REFUSED staged.csv: 1 violation of groeipakket-toereikendheid-2025" in run.stdout
    assert "staged.csv: dataset_4.columns.allowed" in run.stdout
    assert "committed.csv" not in run.stdout and "notes.md" not in run.stdout
    assert "README.txt" not in run.stdout  # prose beside the exports is no CSV (issue 27)

    sample(repo / "staged.csv")  # fixed, staged again
    git(repo, "add", "staged.csv")
    run = pre_commit()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


WORKFLOW = ROOT / "examples" / "github-actions.yml"
SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    assert set(workflow[True]) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    out = job["steps"]
    assert isinstance(out, list)
    return out


def shell() -> list[str]:
    """The job's `defaults.run.shell` (GitHub's own default: bash -e -o pipefail {0})."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    given = job.get("defaults", {}).get("run", {}).get("shell", "bash -eo pipefail {0}")
    words = str(given).split()
    assert words[0] == "bash" and words[-1] == "{0}"
    return ["bash", "--noprofile", "--norc", *words[1:-1]]


def run_step(script: str, workspace: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    """A `run:` step as GitHub runs it on Linux: the script file run by the job's shell, in the
    workspace."""
    path = workspace.parent / "step.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        [*shell(), str(path)],
        cwd=workspace, capture_output=True, text=True,
        env=env(GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true"),
    )  # fmt: skip


@pytest.mark.parametrize("bad", [True, False], ids=["a file breaks", "all hold"])
def test_every_datacontract_step_of_the_example_workflow_runs(tmp_path: Path, bad: bool) -> None:
    workspace = tmp_path / "checkout"
    (workspace / "contracts").mkdir(parents=True)
    shutil.copy(CONTRACT, workspace / "contracts")
    sample(workspace / "exports" / "dataset_4" / "good.csv")
    if bad:
        broken(workspace / "exports" / "dataset_4" / "bad.csv")
    summary = tmp_path / "summary.md"
    by_kind: dict[str, list[dict[str, object]]] = {"uses": [], "install": [], "datacontract": []}
    for step in steps():
        if "uses" in step:
            by_kind["uses"].append(step)
        elif "pip install" in str(step["run"]):
            by_kind["install"].append(step)
        else:
            by_kind["datacontract"].append(step)
    uses = {str(s["uses"]).split("@")[0]: s for s in by_kind["uses"]}
    assert set(uses) == {
        "actions/checkout", "actions/setup-python", "github/codeql-action/upload-sarif"
    }  # fmt: skip
    assert uses["actions/setup-python"]["with"] == {"python-version": "3.11"}
    # the install step installs this project (the tests run on it already installed)
    assert [s["run"] for s in by_kind["install"]] == ["python -m pip install ."]
    assert (ROOT / "pyproject.toml").is_file()

    annotate, sarif = by_kind["datacontract"]
    run = run_step(str(annotate["run"]), workspace, summary)
    assert run.returncode == (1 if bad else 0), run.stdout + run.stderr
    errors = [line for line in run.stdout.splitlines() if line.startswith("::error ")]
    if bad:
        assert errors and all(
            line.startswith("::error file=exports/dataset_4/bad.csv,title=dataset_4.")
            for line in errors
        )
    else:
        assert errors == [] and "VALID exports/dataset_4/good.csv" in run.stdout
    assert summary.read_text(encoding="utf-8").startswith("### datacontract validate: ")

    assert sarif.get("if") == "always()"
    run = run_step(str(sarif["run"]), workspace, summary)
    assert run.returncode == 0, run.stdout + run.stderr
    uploaded = workspace / str(uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"])  # type: ignore[index]
    log = json.loads(uploaded.read_text(encoding="utf-8"))
    jsonschema.validate(
        log, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator
    )
    results = log["runs"][0]["results"]
    assert (len(results) > 0) is bad
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "exports/dataset_4/bad.csv"
        for r in results
    )


def test_the_example_workflow_passes_when_there_are_no_exports(tmp_path: Path) -> None:
    workspace = tmp_path / "checkout"
    (workspace / "contracts").mkdir(parents=True)
    (workspace / "exports" / "dataset_4").mkdir(parents=True)
    shutil.copy(CONTRACT, workspace / "contracts")
    summary = tmp_path / "summary.md"
    runs = [s for s in steps() if "run" in s and "datacontract validate" in str(s["run"])]
    for step in runs:
        run = run_step(str(step["run"]), workspace, summary)
        assert run.returncode == 0, run.stdout + run.stderr
    log = json.loads((workspace / "datacontract.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(
        log, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator
    )
