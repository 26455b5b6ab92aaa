"""The employer's pages on a phone (375 x 812 CSS pixels): nothing makes the page scroll sideways.

Wide tables may scroll inside their own `.table-responsive` box; the page itself must not. Every
page's screenshot is saved to tests/e2e/artifacts/phone-<language>/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import artifacts_folder
from tests.e2e.scene import build_scene, regions_are_loaded

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 812}

# The elements sticking out past the right edge, outside any box that scrolls on its own: what
# to fix when the page overflows.
OVERFLOWING_ELEMENTS = """() => {
    const limit = window.innerWidth;
    // Inside a box that scrolls on its own an element may stick out, unless it is positioned
    // absolutely: then it can escape the box (as text hidden for screen readers did).
    const contained = element => element.closest('.table-responsive, pre, .overflow-auto')
        && getComputedStyle(element).position !== 'absolute';
    return Array.from(document.querySelectorAll('body *'))
        .filter(element => element.getBoundingClientRect().right > limit + 0.5 && !contained(element))
        .slice(0, 8)
        .map(element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
             + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '')
             + ' (right edge ' + Math.round(element.getBoundingClientRect().right) + 'px)');
}"""


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_employer_page_scrolls_sideways_on_a_phone(browsing, language):
    assert regions_are_loaded()
    scene = build_scene()
    page = browsing.new_page(language=language, user=scene.clerk, viewport=PHONE)
    folder = artifacts_folder(f"phone-{language}")

    overflowing = {}
    for number, (name, path) in enumerate(scene.employer_pages(), start=1):
        response = page.goto(path)
        assert response is not None and response.ok, f"{name} ({path}) answered {response and response.status}"
        page.screenshot(path=folder / f"{number:02d}-{name.replace(' ', '-').replace(':', '')}.png", full_page=True)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            overflowing[f"{name} ({path})"] = (widths, page.evaluate(OVERFLOWING_ELEMENTS))

    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert not overflowing, "Pages wider than the phone's screen (scrollWidth, innerWidth; culprits):\n" + "\n".join(
        f"{page_name}: {widths} {culprits}" for page_name, (widths, culprits) in overflowing.items()
    )


def test_on_a_phone_the_menu_folds_behind_one_button_and_opens_on_a_tap(browsing):
    from playwright.sync_api import expect

    from tests.e2e.axe import blocking_violations

    assert regions_are_loaded()
    scene = build_scene()
    phone = browsing.new_page(language="en", user=scene.clerk, viewport=PHONE, bypass_csp=True)
    phone.goto("/employer/")
    menu = phone.get_by_role("button", name="Menu", exact=True)
    workers = phone.get_by_role("navigation", name="Main menu").get_by_role("link", name="Workers", exact=True)

    # Folded, the header is one line: the page's own heading is on the first screen, high up.
    assert phone.locator("nav.navbar").bounding_box()["height"] <= 80
    expect(workers).to_be_hidden()
    assert blocking_violations(phone) == []
    browsing.step("phone: menu folded", phone)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(workers).to_be_visible()
    assert blocking_violations(phone) == []
    browsing.step("phone: menu open", phone)
    workers.click()
    expect(phone).to_have_url(re.compile(r"/employer/workers/$"))

    desktop = browsing.new_page(language="ru", user=scene.clerk, bypass_csp=True)
    desktop.goto("/employer/")
    expect(desktop.get_by_role("button", name="Меню", exact=True)).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Работники", exact=True)).to_be_visible()
    assert blocking_violations(desktop) == []


# Each table that becomes cards, on a page of the story: its cells fit the phone's width.
CARD_TABLES = {
    "employer home": "#employer-cases",
    "worker list": "#worker-registry",
    "case page: draft failing a rule": "#case-workers",
    "case page: decided": "#case-workers",
}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_on_a_phone_case_lists_and_worker_tables_are_cards_with_nothing_off_screen(browsing, language):
    from playwright.sync_api import expect

    from tests.e2e.axe import blocking_violations

    assert regions_are_loaded()
    scene = build_scene()
    page = browsing.new_page(language=language, user=scene.clerk, viewport=PHONE, bypass_csp=True)
    paths = dict(scene.employer_pages())
    for name, table_id in CARD_TABLES.items():
        page.goto(paths[name])
        table = page.locator(table_id)
        expect(table).to_be_visible()
        # No sideways scrolling, not even inside the table's own box.
        box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] <= box[1], f"{name}: the table scrolls sideways {box}"
        # Every cell, status badges and buttons included, lies within the screen.
        cells = table.locator("tbody td")
        for index in range(min(cells.count(), 24)):
            cell = cells.nth(index).bounding_box()
            assert cell is not None and cell["x"] >= 0 and cell["x"] + cell["width"] <= PHONE["width"] + 0.5, (name, index, cell)
        # Each cell says which column it is.
        assert cells.first.evaluate("td => getComputedStyle(td, '::before').content") not in ("none", "normal", "")
        assert blocking_violations(page) == []
        browsing.step(f"phone cards: {name}", page)
    # On a wide screen the same tables are tables.
    desktop = browsing.new_page(language=language, user=scene.clerk)
    desktop.goto(paths["employer home"])
    assert desktop.locator("#employer-cases").evaluate("t => getComputedStyle(t).display") == "table"


def test_on_a_phone_the_officers_worker_table_is_cards_too(browsing):
    assert regions_are_loaded()
    scene = build_scene()
    page = browsing.new_page(language="ru", user=scene.officer, viewport=PHONE)
    checked = 0
    for name, path in scene.officer_pages():
        if not name.startswith("review case"):
            continue
        page.goto(path)
        table = page.locator("#review-case-workers")
        if not table.count():
            continue
        box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] <= box[1], f"{name}: the workers' table scrolls sideways {box}"
        checked += 1
    assert checked >= 2
