"""The deploy guide (docs/deploy.md) and the operations guide (docs/operations.md) match the code:
every environment variable the code reads is in the guide's table and the table names nothing the
code does not read; every command, make target and code file they name exists; the health URLs
they give answer; the numbers they quote are the code's. The design notes (docs/design.md) name
only files, modules and names in them that exist, written from the repository's root."""

import dataclasses
import importlib
import re
import xml.dom.minidom
from pathlib import Path

import pytest
from django.apps import apps
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
CODE_REFERENCE = re.compile(r"`((?:applications|regions|portal|devdata|templates|static|bench|scripts|tests)/[\w/.:-]+)`")
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


# A module's dotted name in backticks, with a name in it and perhaps a call's arguments:
# `regions.services.rule_set_publish`, `applications.models.worker.PassportKey`, `regions.countries`.
DOTTED_REFERENCE = re.compile(r"`((?:applications|regions|portal|devdata)(?:\.\w+)+)(?:\([^`]*\))?`")
# Any code file in backticks, wherever it starts: `services/cases.py` must be written from the repository's root.
# (A bare data file name, `border-list.csv` in a ZIP, is what a user downloads, not a file of the repository.)
FILE_REFERENCE = re.compile(r"`([\w./-]+\.(?:py|js)|[\w.-]+/[\w./-]+\.(?:html|css|csv))(?:::[^`]*)?`")


def _label_exists(app_label: str, name: str) -> bool:
    """`regions.0010` names a migration, `regions.RuleSet` a model and `regions.publish_ruleset` a
    permission, not a module's attribute."""
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return False
    if name.isdigit():
        return any(Path(config.path, "migrations").glob(f"{name}_*.py"))
    models = list(config.get_models())
    permissions = {
        codename
        for model in models
        for codename in [
            *(codename for codename, _ in model._meta.permissions),
            *(f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions),
        ]
    }
    return name in {model.__name__ for model in models} | permissions


def _dotted_exists(reference: str) -> bool:
    """Whether a dotted name is a module, or a name (an attribute of one, to any depth) defined in
    the longest module of its prefix that imports; else an app's migration, model or permission."""
    parts = reference.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return len(parts) == 2 and _label_exists(*parts)
            found = getattr(found, name)
        return True
    return False


def test_every_module_name_the_design_notes_give_exists():
    references = DOTTED_REFERENCE.findall(DESIGN)
    assert {"regions.services.rule_set_publish", "regions.countries"} <= set(references), "the pattern finds them"
    assert sorted(reference for reference in set(references) if not _dotted_exists(reference)) == []


def test_every_file_the_design_notes_name_is_given_from_the_repository_root():
    named = set(FILE_REFERENCE.findall(DESIGN))
    assert "applications/transitions.py" in named
    assert sorted(path for path in named if not (ROOT / path).is_file()) == []


def test_the_check_of_module_names_tells_a_missing_name():
    assert _dotted_exists("applications.transitions.record_decision")
    assert _dotted_exists("regions.publish_ruleset")  # a permission
    assert not _dotted_exists("applications.services.no_such_service")
    assert not _dotted_exists("applications.selectors_gone.case_rule_check")
    assert _dotted_exists("regions.0010") and _dotted_exists("regions.RuleSet")  # a migration, a model
    assert not _dotted_exists("regions.9999")


def test_the_design_notes_give_module_names_in_full():
    """`selectors.case_rule_check` would say neither which package nor, once the package is
    reorganised, that the name has gone: written in full, the test above checks it."""
    short = re.findall(r"`((?:services|selectors|tasks|validators|letters|transitions|permissions|rules|models)\.\w+)", DESIGN)
    assert short == []


# A class's attribute in backticks: `Application.version`, `RuleSet.objects.in_force_on`, `CaseFacts.returning_workers`.
CLASS_REFERENCE = re.compile(r"`([A-Z][a-z]\w*)((?:\.\w+)+)(?:\([^`]*\))?`")
PRODUCT = ("applications", "regions", "portal", "devdata")


def _class_named(name: str):
    """The product's class of that name, from the module that defines it (None if none does)."""
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and re.search(rf"^class {name}\b", path.read_text(encoding="utf-8"), re.MULTILINE):
                return getattr(importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts)), name)
    return None


def _attribute_exists(found, names: list[str]) -> bool:
    for name in names:
        if dataclasses.is_dataclass(found) and name in {field.name for field in dataclasses.fields(found)}:
            return True  # a dataclass's field without a default is no attribute of the class
        if not hasattr(found, name):
            return False
        found = getattr(found, name)
    return True


def test_every_class_attribute_the_design_notes_name_exists():
    references = CLASS_REFERENCE.findall(DESIGN)
    assert ("Application", ".version") in references, "the pattern finds them"
    missing = []
    for class_name, attributes in sorted(set(references)):
        found = _class_named(class_name)
        if found is None or not _attribute_exists(found, attributes.lstrip(".").split(".")):
            missing.append(class_name + attributes)
    assert missing == []


def test_the_check_of_class_attributes_tells_a_missing_one():
    assert _attribute_exists(_class_named("RuleSet"), ["objects", "in_force_on"])
    assert _attribute_exists(_class_named("CaseFacts"), ["returning_workers"])  # a dataclass's field
    assert not _attribute_exists(_class_named("Application"), ["no_such_field"])
    assert _class_named("Override") is None  # the model is DecisionOverride
