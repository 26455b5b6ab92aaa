"""axe-core finds no serious or critical accessibility violation on any page of the story, in
Russian and in English, including the pages that show errors next to fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.axe import blocking_violations
from tests.e2e.i18n import tr
from tests.e2e.scene import Scene, build_scene, regions_are_loaded, url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BAD_IMPORT = (
    b"surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation\n"
    b"IVANOV,,X,1990-13-01,Atlantis,,2020-01-01,Welder\n"
)


class AxeAudit:
    """Visits pages in one browser and collects the blocking violations of each."""

    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[str]] = {}
        self.audited: list[str] = []

    def visit(self, name: str, path: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == status, f"{name} ({path}) answered {response and response.status}"
        self.check(name)

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        self.audited.append(name)
        violations = blocking_violations(self.page)
        if violations:
            self.found[f"{name} ({self.page.url})"] = violations

    def report(self) -> str:
        return "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in self.found.items())


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_page_of_the_story_has_a_serious_or_critical_axe_violation(browsing, language):
    assert regions_are_loaded(), "the regions of the data migration are missing from the live server's database"
    scene = build_scene()

    visitor = AxeAudit(browsing.new_page(language=language, bypass_csp=True))
    for name, path in Scene.anonymous_pages():
        visitor.visit(name, path)
    visitor.page.goto(reverse("accounts:register"))
    visitor.page.get_by_role("button", name=tr(language, "Register the company")).click()
    visitor.check("register, with errors")
    visitor.visit("not found", "/no-such-page/", status=404)

    clerk = AxeAudit(browsing.new_page(language=language, user=scene.clerk, bypass_csp=True))
    for name, path in scene.employer_pages():
        clerk.visit(name, path)
    clerk.visit("forbidden: the review queue", url("review-queue"), status=403)
    clerk.visit("another company's case: not found", url("application-detail", scene.submitted.pk), status=404)
    clerk.page.goto(url("worker-create"))
    clerk.page.get_by_role("button", name=tr(language, "Add the worker")).click()
    clerk.check("worker form, with errors")
    clerk.page.goto(url("application-edit", scene.draft.pk))
    clerk.page.locator("#id_isolation_days").fill("99")
    clerk.page.get_by_role("button", name=tr(language, "Save the draft")).click()
    clerk.check("draft form, with errors")
    clerk.page.goto(url("worker-import"))
    clerk.page.locator("#id_file").set_input_files({"name": "workers.csv", "mimeType": "text/csv", "buffer": BAD_IMPORT})
    clerk.page.get_by_role("button", name=tr(language, "Check and import")).click()
    clerk.check("worker import, with the rows to correct")

    officer = AxeAudit(browsing.new_page(language=language, user=scene.officer, bypass_csp=True))
    for name, path in scene.officer_pages():
        officer.visit(name, path)
    officer.page.goto(url("review-detail", scene.in_review.pk))
    officer.page.locator("#submit-review-reject").click()
    officer.check("review case, rejection without a reason")

    audited = visitor.audited + clerk.audited + officer.audited
    assert len(audited) >= 30, audited
    report = "\n".join(audit.report() for audit in (visitor, clerk, officer) if audit.found)
    assert not report, f"Serious or critical accessibility violations ({language}):\n{report}"
