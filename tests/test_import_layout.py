"""The product code imports at the top of its modules: an import inside a function is how a cycle
hides (the import contracts in pyproject.toml, run by `lint-imports` in .ci/run, keep the layers),
so one is allowed only with a comment on the line or just above saying why it cannot be at the top
(e.g. AppConfig.ready, an optional package)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("applications", "regions", "portal")


def unexplained_function_imports(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if not isinstance(inner, ast.Import | ast.ImportFrom):
                continue
            if not _explained(lines, inner.lineno - 1):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    return found


def _explained(lines: list[str], index: int) -> bool:
    """A comment on the import's line, or above the block of imports it belongs to (blank lines
    and a `try:` may stand between)."""
    if "#" in lines[index]:
        return True
    index -= 1
    while index >= 0 and (not lines[index].strip() or lines[index].strip().startswith(("from ", "import ", "try:"))):
        if "#" in lines[index]:
            return True
        index -= 1
    return index >= 0 and lines[index].strip().startswith("#")


def test_the_product_code_imports_inside_a_function_only_where_a_comment_says_why():
    modules = [path for package in PRODUCT for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts]
    assert len(modules) > 100  # the walk found the code
    assert [found for path in modules for found in unexplained_function_imports(path)] == []
