"""One error vocabulary: every error class of lecture/ derives from LectureError, exit
statuses are defined once (lecture/errors.py), and the CLI turns any LectureError into one
``error:`` line and its status."""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import lecture
from lecture import cli
from lecture.errors import EXIT_BAD_INPUT, EXIT_FAILED, LectureError

LECTURE = Path(lecture.__file__).resolve().parent
# BaseException on purpose: SIGTERM turned into an exception that no `except Exception` stops
NOT_USER_ERRORS = {"lecture.render.pipeline.Terminated"}


def _lecture_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(LECTURE)], "lecture."))


def test_every_error_class_of_lecture_derives_from_lecture_error():
    found = []
    for name in _lecture_modules():
        module = importlib.import_module(name)
        for _attr, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == name
                    and f"{name}.{value.__name__}" not in NOT_USER_ERRORS):
                found.append(value)
    assert len(found) >= 13  # VoiceError, MediaError, CheckError, RenderFailure, ClusterError ...
    strays = [f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, LectureError)]
    assert strays == []


def test_exit_statuses_are_defined_once():
    owners = []
    for path in sorted(LECTURE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                names += [e.id for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts
                          if isinstance(e, ast.Name)]
                if any(n.startswith("EXIT_") for n in names):
                    owners.append(path.relative_to(LECTURE).as_posix())
    assert set(owners) == {"errors.py"}


def test_the_subclasses_carry_their_usual_status():
    from lecture.check.gate import CheckError
    from lecture.cluster import ClusterError, JobFailed
    from lecture.media import MediaError
    from lecture.package import PackageError
    from lecture.render.options import RenderFailure
    from lecture.voice import VoiceError

    assert VoiceError("x").exit_status == CheckError("x").exit_status == PackageError("x").exit_status == EXIT_BAD_INPUT
    assert MediaError("x").exit_status == ClusterError("x").exit_status == EXIT_FAILED
    assert RenderFailure("x", 130).exit_status == RenderFailure("x", 130).status == 130
    assert JobFailed("x", "", "voice").exit_status == EXIT_BAD_INPUT
    assert JobFailed("x").exit_status == EXIT_FAILED


@pytest.mark.parametrize("status", [EXIT_FAILED, EXIT_BAD_INPUT])
def test_the_cli_turns_a_lecture_error_into_one_line_and_its_status(monkeypatch, capsys, status):
    def fails(_args):
        raise LectureError("--thing: expected a thing, got 'other'", status)

    parser = argparse.ArgumentParser()
    parser.set_defaults(run=fails)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main([]) == status
    err = capsys.readouterr().err
    assert err == "error: --thing: expected a thing, got 'other'\n"
