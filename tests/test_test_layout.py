"""Test modules share their helpers through tests/helpers, tests/pages.py and the conftest files,
never by importing one another: a borrowed helper hides where it lives, a borrowed fixture comes
in by name with a noqa, and renaming the lending module breaks the borrower."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def is_test_module(dotted: str) -> bool:
    return dotted.split(".")[-1].startswith("test_")


def imported_test_modules(path: Path) -> list[str]:
    """The test modules a file imports, anywhere in it (a function body too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if is_test_module(module):
                found.append(module)
            # `from tests.applications import test_tasks` names the module as an imported name.
            found += [f"{module}.{alias.name}" for alias in node.names if is_test_module(alias.name)]
    return found


def test_no_file_under_tests_imports_a_test_module():
    offenders = {
        str(path.relative_to(TESTS.parent)): modules
        for path in sorted(TESTS.rglob("*.py"))
        if (modules := imported_test_modules(path))
    }
    assert offenders == {}, "move what they share into tests/helpers/ or a conftest.py"


def test_the_check_sees_each_way_of_importing_a_test_module(tmp_path):
    module = tmp_path / "test_borrower.py"
    module.write_text(
        "import tests.applications.test_tasks\n"
        "from tests.regions.test_rule_check import facts\n"
        "from tests.portal import test_signup\n"
        "def later():\n"
        "    from tests.applications.test_exports import csv_rows\n"
        "from tests.helpers.tasks import queued\n"
        "from tests import pages\n"
    )

    assert imported_test_modules(module) == [
        "tests.applications.test_tasks",
        "tests.regions.test_rule_check",
        "tests.portal.test_signup",
        "tests.applications.test_exports",
    ]


# The role clients of tests/conftest.py: a module that needs another client names it for what
# differs (a browser reading Russian, a second officer), so a reader never wonders which one runs.
SHARED_CLIENTS = {"english", "employer_client", "officer_client", "admin_client_"}


def redefined_shared_clients(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in SHARED_CLIENTS)


def test_no_test_module_writes_its_own_copy_of_a_shared_client():
    offenders = {
        str(path.relative_to(TESTS.parent)): names
        for path in sorted(TESTS.rglob("test_*.py"))
        if (names := redefined_shared_clients(path))
    }
    assert offenders == {}, "use the client of tests/conftest.py, or name a different one for what differs"
