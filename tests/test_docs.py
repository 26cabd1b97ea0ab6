"""The README stays true: commands, settings, set-up commands, shortcuts."""

from __future__ import annotations

import re

import click
import pytest
from flask import Flask
from helpers import PROJECT

from webapp import config

README = (PROJECT / "README.md").read_text(encoding="utf-8")
ENV_SETTINGS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "SEEDS_DIR",
    "AUTOLOAD_SEEDS",
    "TRUSTED_HOSTS",
    "PROXY_FIX",
    "LOAD_WORKERS",
    "VOICES_ADMIN_TOKEN",
    "FETCH_ALLOW_NETWORKS",
]
ENV_EXAMPLE = {
    "SECRET_KEY": "k",
    "DATABASE_URL": "sqlite:///x",
    "SEEDS_DIR": "/tmp/x",
    "AUTOLOAD_SEEDS": "0",
    "TRUSTED_HOSTS": "voices.example",
    "PROXY_FIX": "1",
    "LOAD_WORKERS": "2",
    "VOICES_ADMIN_TOKEN": "a-token-of-sixteen-characters-or-more",
    "FETCH_ALLOW_NETWORKS": "10.0.0.0/8",
}


def code_blocks(text: str) -> list[str]:
    """Return the contents of the fenced code blocks."""
    return re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)


def our_commands(app: Flask) -> dict[str, click.Command]:
    """Return the CLI commands the app adds (not Flask's own run, shell, routes)."""
    return {
        name: command
        for name, command in app.cli.commands.items()
        if command.callback and command.callback.__module__.startswith("webapp")
    }


def test_every_cli_command_and_option_is_documented(app: Flask) -> None:
    commands = our_commands(app)
    assert set(commands) == {"init-db", "load-seeds", "reanalyze", "import", "export-corrections"}
    for name, command in commands.items():
        assert f"flask --app webapp {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert all(opt in README for opt in param.opts), (name, param.opts)


def test_the_environment_settings_are_exactly_the_documented_ones() -> None:
    assert len(config.from_environment(ENV_EXAMPLE)) == len(ENV_SETTINGS)
    source = (PROJECT / "webapp" / "config.py").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r'environ(?:\.get\(|\[)"([A-Z_]+)"', source))) == sorted(
        ENV_SETTINGS
    )
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name in ENV_SETTINGS:
        assert f"| `{name}` |" in table, name


def test_exactly_two_set_up_commands_one_to_run_one_to_test() -> None:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = [b.strip() for b in code_blocks(section)]
    assert len(blocks) == 2
    run, test = blocks
    assert run.startswith("python3 -m venv .venv") and run.endswith("flask --app webapp run")
    assert test.startswith("python3 -m venv .venv") and test.endswith("pytest")
    assert "'.[test]'" in test


def readme_test_command() -> list[str]:
    """Return the steps of the README's test command (the second set-up command)."""
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [step.strip() for step in code_blocks(section)[1].strip().split("&&")]


def ci_commands() -> list[str]:
    """Return the command lines of .ci/run (no comments, no blank lines), stripped."""
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    return [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in ci
    steps = readme_test_command()
    assert steps == [
        "python3 -m venv .venv",
        ".venv/bin/pip install -e '.[test]'",
        ".venv/bin/pytest",
    ]
    # Every step of the README's command is a line of .ci/run, in the same order, and the
    # last line of .ci/run is the README's test run itself.
    lines = ci_commands()
    positions = [lines.index(step) for step in steps]
    assert positions == sorted(positions)
    assert lines[-1] == steps[-1]


@pytest.mark.parametrize("key", ["j", "k", "]", "[", "v", "Esc", "?"])
def test_keyboard_shortcuts_are_documented(key: str) -> None:
    table = README.split("Keyboard shortcuts", 1)[1]
    assert f"`{key}`" in table


def test_the_gunicorn_command_and_layout_are_documented() -> None:
    assert "gunicorn -c webapp/gunicorn.conf.py wsgi:app" in README
    settings = (PROJECT / "webapp" / "gunicorn.conf.py").read_text(encoding="utf-8")
    for name in set(re.findall(r'environ(?:\.get\(|\[)"([A-Z_]+)"', settings)):
        assert f"`{name}`" in README, name  # every variable the configuration reads
    assert "## Analysis engine" in README
    layout = README.split("## Project layout", 1)[1]
    for top in ("pyproject.toml", "wsgi.py", "seeds/", "webapp/", "templates/", "static/"):
        assert top in layout
    for module in (PROJECT / "webapp").glob("*.py"):
        assert module.name in layout, module.name  # every module of the web app is listed


def test_every_engine_module_is_in_the_readme_table() -> None:
    """The module table of the analysis engine names every module, and only those."""
    section = README.split("### The pipeline", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"`(\w+\.py)`", section))
    modules = {path.name for path in (PROJECT / "webapp" / "analysis").glob("*.py")}
    assert documented == modules


def test_every_reason_the_engine_gives_is_documented() -> None:
    """Each `reason` the engine gives on the corpus has a row in the README's table."""
    from webapp.analysis import analyze
    from webapp.seedfile import parse_seed

    table = README.split("| `reason` | rule |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`([a-z-]+)(?::|`)", table))
    given = set()
    for path in sorted((PROJECT / "tests" / "corpus").glob("*.txt"))[:12]:
        article = parse_seed(path.read_bytes(), path.name)
        for quote in analyze(article.text, headline=True).quotes:
            if quote.reason:
                given.update(part for part in quote.reason.split(":") if not part.startswith("q"))
    assert given, "the corpus gives no reasons at all"
    assert given <= documented, given - documented
