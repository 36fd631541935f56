"""`complaintdesk settle`: files and standard input in, verdicts out, exit 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from complaintdesk.cli.betting import register

GOOD = {
    "bet_id": "a1",
    "type": "single",
    "currency": "GBP",
    "stake": "10",
    "legs": [{"odds": "5/2", "result": "won"}],
    "paid_return": "35.00",
}
BAD = {
    "bet_id": "b7",
    "type": "single",
    "currency": "GBP",
    "stake": "10",
    "legs": [{"odds": "1.00", "result": "won"}],
}


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(application)
    return application


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, content: Any) -> str:
    path = tmp_path / "bets.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def test_one_bet_gives_one_verdict(app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["settle", write(tmp_path, GOOD)])

    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["bet_id"] == "a1"
    assert verdict["expected_return"] == "35.00"
    assert verdict["verdict"] == "correct"
    assert result.stdout.startswith('{\n  "bet_id"')  # indented by two


def test_a_list_gives_a_list_in_the_same_order(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    second = {**GOOD, "bet_id": "a2", "paid_return": "30.00"}
    result = runner.invoke(app, ["settle", write(tmp_path, [GOOD, second])])

    assert result.exit_code == 0
    verdicts = json.loads(result.stdout)
    assert [v["bet_id"] for v in verdicts] == ["a1", "a2"]
    assert [v["verdict"] for v in verdicts] == ["correct", "underpaid"]


def test_standard_input_and_russian(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["settle", "-", "--language", "ru"], input=json.dumps(GOOD))

    assert result.exit_code == 0
    verdict = json.loads(result.stdout)
    assert verdict["explanation"][0] == "Ординар, ставка 10.00 GBP."
    assert "Ординар" in result.stdout  # printed as UTF-8, not as \u escapes


def test_invalid_bets_are_named_and_the_valid_ones_still_printed(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["settle", write(tmp_path, [GOOD, BAD, "not a bet"])])

    assert result.exit_code == 1
    assert [v["bet_id"] for v in json.loads(result.stdout)] == ["a1"]
    assert result.stderr.splitlines() == [
        "bet 2 (id b7): legs[0].odds: decimal odds must be greater than 1",
        "bet 3: must be a JSON object",
    ]


def test_one_invalid_bet_prints_nothing_and_exits_1(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["settle", write(tmp_path, BAD)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "bet (id b7): legs[0].odds: decimal odds must be greater than 1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('"a bet"', "must hold a JSON object or a list of them"),
        (b"\xff\xfe{}", "cannot be read"),
    ],
)
def test_a_file_that_holds_no_bets_is_a_usage_error(
    app: typer.Typer, runner: CliRunner, tmp_path: Path, content: str | bytes, message: str
) -> None:
    result = runner.invoke(app, ["settle", write(tmp_path, content)])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_file_is_a_usage_error(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["settle", str(tmp_path / "absent.json")])

    assert result.exit_code == 2
    assert "absent.json: no such file" in result.stderr


def test_an_unknown_language_is_a_usage_error(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["settle", write(tmp_path, GOOD), "--language", "de"])

    assert result.exit_code == 2
    assert result.stdout == ""


def test_named_rule_profiles_come_from_a_file(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    leg = {"market": "race", "odds": "10/1", "position": 1, "rule4": ["0.45", "0.55"]}
    bet = {"type": "single", "currency": "GBP", "stake": "10", "legs": [leg], "rules": "house"}
    profiles = tmp_path / "profiles.json"
    profiles.write_text(json.dumps({"house": {"rule4_cap": "0.50"}}), "utf-8")

    result = runner.invoke(app, ["settle", write(tmp_path, bet), "--profiles", str(profiles)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["expected_return"] == "60.00"

    without = runner.invoke(app, ["settle", write(tmp_path, bet)])
    assert without.exit_code == 1
    assert "rules: no rule profile named 'house'" in without.stderr


def test_help_documents_the_exit_codes(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["settle", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    assert "Exit status: 0 when every item was answered" in result.stdout
    assert "2 when FILE is missing" in result.stdout
