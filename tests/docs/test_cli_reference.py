"""docs/cli.md's reference cannot drift from the commands: it is what cli/reference.py makes
from them; every option has its help and every command two or three examples (issue 27)."""

from __future__ import annotations

import shlex

import click
import pytest
from tests.conftest import ROOT, run_cli

from datacontract.cli.examples import EXAMPLES, commands
from datacontract.cli.main import main
from datacontract.cli.reference import with_reference

PAGE = ROOT / "docs" / "cli.md"
COMMANDS = commands(main)


def test_the_reference_in_docs_is_the_commands() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page == with_reference(page, main), (
        "docs/cli.md's reference differs from the commands: run `make docs`"
    )


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_has_its_help(path: str) -> None:
    for param in COMMANDS[path].params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"datacontract {path} {param.opts[0]}"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_examples_that_name_only_its_options(path: str) -> None:
    examples = EXAMPLES.get(path, ())
    assert 2 <= len(examples) <= 3, f"datacontract {path}: give two or three examples"
    command = COMMANDS[path]
    known = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
    for example in examples:
        words = shlex.split(example)
        assert words[: 1 + len(path.split())] == ["datacontract", *path.split()], example
        for word in words:
            if word.startswith("--"):
                assert word in known, f"{example}: {path} has no option {word}"
        required = [p.opts[0] for p in command.params if isinstance(p, click.Option) and p.required]
        for option in required:
            assert option in words, f"{example}: lacks the required {option}"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_help_ends_with_the_examples(path: str) -> None:
    run = run_cli(*path.split(), "--help")
    assert run.code == 0, run.everything
    assert "Examples:" in run.stdout
    for example in EXAMPLES[path]:
        assert example in run.stdout, example


def test_no_command_is_missing_from_the_examples() -> None:
    assert set(EXAMPLES) == set(COMMANDS)
