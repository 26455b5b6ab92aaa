"""How the tests find things on a page: by role and by label, as a screen reader user would. A
locator that fails here usually means a control lost its label or its role."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.i18n import tr


def field(scope: Page | Locator, label: str) -> Locator:
    """The control whose label reads exactly `label` (crispy marks required fields with a trailing *)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def button(scope: Page | Locator, name: str) -> Locator:
    return scope.get_by_role("button", name=name, exact=True)


def check_and_submit(page: Page) -> None:
    """From the case page: "Check and submit", the "check your answers" page, the declaration of
    the employer's guarantees ticked, "Submit to the authority"."""
    button(page, "Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers before submitting")
    page.get_by_role("checkbox", name=re.compile(r"^On behalf of ")).check()
    button(page, "Submit to the authority").click()


def message(page: Page, text: str) -> Locator:
    """A django.contrib.messages alert (role status or alert, at the top of <main>) containing `text`."""
    return page.locator("main > [role=status], main > [role=alert]").filter(has_text=text)


def sign_in(page: Page, email: str, password: str, *, language: str = "en") -> None:
    """Signs in through the portal's own form, as a person does."""
    page.goto("/accounts/login/")
    field(page, tr(language, "E-mail")).fill(email)
    field(page, tr(language, "Password")).fill(password)
    button(page, tr(language, "Sign in")).click()
    # Each role lands on its own home (the admin on Django admin): signed in means "left the form".
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


# The two widths every browser story is run at (issue 18): a phone and a laptop, in CSS pixels.
WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
