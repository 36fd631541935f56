"""`complaintdesk settle` and `complaintdesk wagering`: the betting engines on files.

Both read one JSON object or a JSON list of them from a file (or ``-`` for standard
input) and print the result(s) as JSON: one object for one input, a list for a list.
They never stop at the first bad item: every valid one is still answered, every invalid
one is named on standard error, and the exit status says what happened:

- 0: every item was answered;
- 1: at least one item broke its contract (the others are still printed);
- 2: the command could not run: no such file, unreadable, not JSON, or neither an
  object nor a list (nothing is printed to standard output).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from complaintdesk.betting.errors import InvalidInput

USAGE_ERROR = 2
INVALID_INPUT = 1

_EXIT_CODES_HELP = (
    "Exit status: 0 when every item was answered; 1 when any item was invalid (each is "
    "named on standard error, the valid ones are still printed); 2 when FILE is missing, "
    "unreadable or not JSON."
)


class Language(StrEnum):
    """Languages the explanations are written in."""

    en = "en"
    ru = "ru"


FileArgument = Annotated[
    str,
    typer.Argument(
        metavar="FILE",
        help="A JSON file holding one object or a list of them; - reads standard input.",
        show_default=False,
    ),
]
LanguageOption = Annotated[
    Language,
    typer.Option("--language", "-l", help="Language of the explanations.", case_sensitive=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``settle`` and ``wagering`` commands to the ``complaintdesk`` application."""
    app.command(
        "settle",
        help=(
            "Verify the settlement of bets (the settlement contract's records): what each "
            "should have returned, what was paid, and why, step by step. " + _EXIT_CODES_HELP
        ),
    )(settle)
    app.command(
        "wagering",
        help=(
            "Explain bonus wagering cases (the wagering contract's cases): what counted, what "
            "did not and why, and what is left to wager. " + _EXIT_CODES_HELP
        ),
    )(wagering)


def settle(
    file: FileArgument,
    language: LanguageOption = Language.en,
    profiles: Annotated[
        Path | None,
        typer.Option(
            "--profiles",
            metavar="PROFILES",
            help=(
                "A JSON object of the operator's named rule profiles, for bets whose "
                '"rules" names one.'
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Verify the settlement of bets."""
    from complaintdesk.betting.settlement import verify  # noqa: PLC0415 - keeps --help fast

    known: Mapping[str, Mapping[str, Any]] | None = None
    if profiles is not None:
        loaded = _load(str(profiles))
        if not isinstance(loaded, dict):
            _usage_error(f"{profiles}: must hold a JSON object of rule profiles by name")
        known = loaded

    def run(bet: Any) -> dict[str, Any]:
        return verify(_object(bet), language=language.value, profiles=known).to_dict()

    _answer(file, noun="bet", id_field="bet_id", run=run)


def wagering(file: FileArgument, language: LanguageOption = Language.en) -> None:
    """Explain bonus wagering cases."""
    try:
        from complaintdesk.betting.wagering import explain  # noqa: PLC0415 - optional engine
    except ImportError:
        _usage_error("the wagering explainer is not available in this installation")

    def run(case: Any) -> dict[str, Any]:
        report: Any = explain(_object(case), language=language.value)
        answer: dict[str, Any] = report.to_dict()
        return answer

    _answer(file, noun="case", id_field=None, run=run)


def _answer(
    file: str, *, noun: str, id_field: str | None, run: Callable[[Any], dict[str, Any]]
) -> None:
    """Run ``run`` on each item of ``file``, print the answers, exit with the contract's code."""
    data = _load(file)
    if not isinstance(data, dict | list):
        _usage_error(f"{_name(file)}: must hold a JSON object or a list of them")
    items = data if isinstance(data, list) else [data]
    answers: list[dict[str, Any]] = []
    failures = 0
    for position, item in enumerate(items, start=1):
        label = _label(noun, position if isinstance(data, list) else None, item, id_field)
        try:
            answers.append(run(item))
        except InvalidInput as error:
            failures += 1
            typer.echo(f"{label}: {error}", err=True)
        except Exception as error:  # one faulty item must not hide the others, nor trace back
            failures += 1
            typer.echo(
                f"{label}: could not be processed ({type(error).__name__}: {error})", err=True
            )
    if isinstance(data, list):
        _print(answers)
    elif answers:
        _print(answers[0])
    if failures:
        raise typer.Exit(INVALID_INPUT)


def _load(file: str) -> Any:
    """The JSON in ``file`` (``-``: standard input), or a usage error saying what is wrong."""
    name = _name(file)
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        _usage_error(f"{name}: no such file")
    except IsADirectoryError:
        _usage_error(f"{name}: is a directory, not a file")
    except (OSError, UnicodeDecodeError) as error:
        _usage_error(f"{name}: cannot be read ({error})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        _usage_error(
            f"{name}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        )


def _object(item: Any) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise InvalidInput("", "must be a JSON object")
    return item


def _label(noun: str, position: int | None, item: Any, id_field: str | None) -> str:
    """How messages name an item: ``bet 2 (id b7)``; positions count from 1."""
    label = noun if position is None else f"{noun} {position}"
    if id_field and isinstance(item, dict) and isinstance(item.get(id_field), str | int):
        label += f" (id {item[id_field]})"
    return label


def _name(file: str) -> str:
    return "standard input" if file == "-" else file


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USAGE_ERROR)
