"""The deploy guide (docs/deploy.md) and the operations guide (docs/operations.md) match the code:
every environment variable the code reads is in the guide's table and the table names nothing the
code does not read; every command, make target and code file they name exists; the health URLs
they give answer; the numbers they quote are the code's."""

import re
import xml.dom.minidom
from pathlib import Path

import pytest
from django.core.management import get_commands

from applications import exports, tasks

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
DOCS = DEPLOY + OPERATIONS


def variables_read_by_the_code() -> set[str]:
    settings_source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    gunicorn_source = (ROOT / "portal" / "gunicorn_conf.py").read_text(encoding="utf-8")
    return set(re.findall(r"env_(?:str|bool|int|list)\(\s*[\"']([A-Z0-9_]+)[\"']", settings_source)) | set(
        re.findall(r"os\.environ\.get\(\s*[\"']([A-Z0-9_]+)[\"']", gunicorn_source)
    )


def variables_in_the_table() -> set[str]:
    table = DEPLOY.split("<!-- environment-table:start -->")[1].split("<!-- environment-table:end -->")[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, flags=re.MULTILINE))


def test_every_environment_variable_the_code_reads_is_in_the_deploy_table():
    read = variables_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "WEB_CONCURRENCY"} <= read  # the regexes work
    assert sorted(read - variables_in_the_table()) == []


def test_the_deploy_table_names_no_variable_the_code_does_not_read():
    assert sorted(variables_in_the_table() - variables_read_by_the_code()) == []


def test_every_management_command_the_guides_name_exists():
    named = set(re.findall(r"manage\.py\s+([a-z_]+)", DOCS))
    assert {"run_deadlines", "db_worker", "migrate", "createsuperuser"} <= named
    assert sorted(named - set(get_commands())) == []


def test_every_make_target_the_guides_name_exists():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.MULTILINE))
    named = set(re.findall(r"`make ([\w-]+)", DOCS))
    assert "serve" in named
    assert sorted(named - targets) == []


def test_every_code_file_the_guides_name_exists():
    named = set(re.findall(r"`([\w/]+\.py)`", DOCS))
    assert "portal/gunicorn_conf.py" in named
    assert sorted(path for path in named if not (ROOT / path).is_file()) == []


@pytest.mark.django_db
def test_the_health_urls_in_the_deploy_guide_answer(client):
    paths = re.findall(r"^\| `(/[a-z]+)` \|", DEPLOY, flags=re.MULTILINE)
    assert sorted(paths) == ["/healthz", "/readyz"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path


def test_the_architecture_picture_is_embedded_and_is_well_formed_svg():
    assert "](deploy-architecture.svg)" in DEPLOY
    picture = xml.dom.minidom.parse(str(ROOT / "docs" / "deploy-architecture.svg"))
    assert picture.documentElement.tagName == "svg"
    assert picture.getElementsByTagName("title")  # named for screen readers


def test_the_numbers_the_deploy_guide_quotes_are_the_codes():
    minutes = [int(delay.total_seconds() // 60) for delay in tasks.RETRY_DELAYS]
    assert f"after {', '.join(map(str, minutes[:-1]))} and {minutes[-1]} minutes" in DEPLOY
    assert f"{tasks.MAX_SEND_ATTEMPTS} attempts in all" in DEPLOY
    assert f"capped at {exports.XLSX_MAX_ROWS:,} rows" in DEPLOY


DESIGN = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
# A code path in backticks: a file (`applications/exports.py`), a name in it
# (`applications/selectors/cases.py::case_facts`), or a module's name (`applications/exports.neutralise_formula`).
CODE_REFERENCE = re.compile(r"`((?:applications|regions|portal|templates|static|bench|scripts|tests)/[\w/.:-]+)`")
DEFINED = re.compile(r"^\s*(?:def|class)\s+(\w+)|^(\w+)\s*[:=]", re.MULTILINE)


def _resolve(reference: str) -> tuple[Path, str]:
    """The file a reference names and the name in it ("" for the file itself)."""
    if "::" in reference:
        path, name = reference.split("::", 1)
        return ROOT / path, name
    if (ROOT / reference).exists():
        return ROOT / reference, ""
    module, _, name = reference.rpartition(".")
    return ROOT / f"{module}.py", name


def test_every_code_path_the_design_notes_name_exists():
    references = CODE_REFERENCE.findall(DESIGN)
    assert len(references) > 10, "the pattern finds the design's references"
    missing = []
    for reference in references:
        path, name = _resolve(reference.rstrip("/.:"))
        if not path.exists():
            missing.append(reference)
        elif name and name not in {found for pair in DEFINED.findall(path.read_text(encoding="utf-8")) for found in pair if found}:
            missing.append(reference)
    assert missing == []
