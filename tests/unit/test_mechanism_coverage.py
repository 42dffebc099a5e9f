"""Every mechanism ID of the brief is exercised by at least one test marked ``@pytest.mark.mechanism(...)``.

The IDs are collected by parsing the test files (``ast``), not by running them, so the check
is fast and sees tests that are skipped or marked slow as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

from exitban.evidence import BRIEF_IDS

TESTS = Path(__file__).resolve().parents[1]


def _is_mechanism_mark(func: ast.expr) -> bool:
    """``pytest.mark.mechanism`` or ``mark.mechanism`` (after ``from pytest import mark``)."""
    if not (isinstance(func, ast.Attribute) and func.attr == "mechanism"):
        return False
    mark = func.value
    return (isinstance(mark, ast.Attribute) and mark.attr == "mark") or (
        isinstance(mark, ast.Name) and mark.id == "mark"
    )


def mechanism_marks(tests_dir: Path) -> dict[str, set[str]]:
    """``{mechanism ID: {"file.py::test_name", ...}}`` for every mechanism mark under ``tests_dir``.

    A mark on a class or a module-level ``pytestmark`` counts for the file; arguments that
    are not string literals are reported as errors, since they cannot be checked statically.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        owners: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for deco in node.decorator_list:
                    owners[id(deco)] = node.name
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_mechanism_mark(node.func)):
                continue
            where = f"{path.relative_to(tests_dir)}::{owners.get(id(node), '<module>')}"
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    raise ValueError(f"{where}: mechanism marks take string literals, got {ast.unparse(arg)}")
                found.setdefault(arg.value, set()).add(where)
    return found


def test_collector_reads_marks_from_a_fake_tests_tree(tmp_path: Path) -> None:
    """The collector finds marks on functions, classes and pytestmark, in nested folders, and nothing else."""
    (tmp_path / "unit").mkdir()
    (tmp_path / "unit" / "test_a.py").write_text(
        "import pytest\n"
        "from pytest import mark\n\n"
        "@pytest.mark.mechanism('R2', 'R12')\n"
        "def test_threats():\n    pass\n\n"
        "@mark.mechanism('E5')\n"
        "class TestNeglect:\n    def test_x(self):\n        pass\n\n"
        "@pytest.mark.slow\n"
        "def test_unmarked():\n    '''mentions mechanism R9 in prose only'''\n",
        encoding="utf-8",
    )
    (tmp_path / "test_b.py").write_text("import pytest\npytestmark = [pytest.mark.mechanism('O7')]\n", encoding="utf-8")
    (tmp_path / "helper.py").write_text("import pytest\npytest.mark.mechanism('P1')\n", encoding="utf-8")
    marks = mechanism_marks(tmp_path)
    assert marks == {
        "R2": {"unit/test_a.py::test_threats"},
        "R12": {"unit/test_a.py::test_threats"},
        "E5": {"unit/test_a.py::TestNeglect"},
        "O7": {"test_b.py::<module>"},
    }


def test_collector_rejects_non_literal_ids(tmp_path: Path) -> None:
    """A mark whose ID is computed cannot be checked, so it is an error naming the test."""
    (tmp_path / "test_c.py").write_text(
        "import pytest\nID = 'R1'\n\n@pytest.mark.mechanism(ID)\ndef test_x():\n    pass\n", encoding="utf-8"
    )
    try:
        mechanism_marks(tmp_path)
    except ValueError as exc:
        assert "test_c.py::test_x" in str(exc)
    else:
        raise AssertionError("a non-literal mechanism ID was accepted")


def test_marks_name_only_brief_ids() -> None:
    """No test declares an ID that is not in the brief (a typo would hide a gap)."""
    unknown = {k: sorted(v) for k, v in mechanism_marks(TESTS).items() if k not in BRIEF_IDS}
    assert not unknown, f"mechanism marks with IDs not in the brief: {unknown}"


def test_every_brief_id_has_a_test() -> None:
    """Each mechanism ID of the brief is declared by at least one test's mechanism mark."""
    marks = mechanism_marks(TESTS)
    untested = [i for i in BRIEF_IDS if i not in marks]
    assert not untested, f"brief IDs that no test exercises (add @pytest.mark.mechanism(...)): {untested}"
