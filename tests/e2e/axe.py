"""axe-core (shipped by axe-playwright-python) on a page, keeping the violations that block people:
impact "serious" or "critical"."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")

_axe = Axe()


def blocking_violations(page) -> list[str]:
    """One line per blocking violation: rule, impact, what to fix and where (CSS selectors).

    The page's context must be opened with bypass_csp=True: the portal's Content-Security-Policy
    would otherwise refuse the injected axe script."""
    results = _axe.run(page)  # injects axe-core, runs every rule, keeps the violations
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ") if violation["nodes"] else ""
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -- at {targets} -- {summary}")
    return lines



def no_violations(page, where: str) -> None:
    """Fails naming the page (`where`) and each blocking violation found on it."""
    found = blocking_violations(page)
    assert found == [], f"{where}:\n" + "\n".join(found)
