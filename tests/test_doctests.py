"""The examples in lecture/'s docstrings are true (every module of the package, imported)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lecture

MODULES = sorted(info.name for info in pkgutil.walk_packages(lecture.__path__, "lecture.")
                 if not info.name.endswith("__main__"))


def test_the_package_has_examples_to_check():
    finder = doctest.DocTestFinder()
    with_examples = [name for name in MODULES
                     if any(t.examples for t in finder.find(importlib.import_module(name)))]
    assert "lecture.captions" in with_examples and len(with_examples) >= 10, with_examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
