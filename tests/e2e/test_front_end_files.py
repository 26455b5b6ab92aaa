"""Front-end files come from the portal itself (Bootstrap from its PyPI package, the portal's own
scripts), never from a CDN, and no page carries inline script or style: the Content-Security-Policy
allows neither, so such a page would break in the browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bootstrap
import pytest
from django.contrib.staticfiles import finders

from tests.e2e.scene import Scene, build_scene, regions_are_loaded

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """What the served HTML asks the browser to fetch, and any code or style written inline."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.inline: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.fetched.append(attributes["src"])
            elif (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.inline.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "link" and attributes.get("href"):
            self.fetched.append(attributes["href"])
        if tag in {"img", "iframe", "source", "audio", "video"} and attributes.get("src"):
            self.fetched.append(attributes["src"])
        if tag == "style":
            self.inline.append(f"<style> block at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.inline.append(f'style="{value}" on <{tag}> at line {self.getpos()[0]}')
            if name.startswith("on"):
                self.inline.append(f"{name} handler on <{tag}> at line {self.getpos()[0]}")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def test_every_page_of_the_story_loads_only_the_portals_own_files_and_no_inline_code(browsing, live_server):
    assert regions_are_loaded()
    scene = build_scene()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_server.url))
    problems: dict[str, list[str]] = {}
    visited = 0

    for user, pages in ((None, Scene.anonymous_pages()), (scene.clerk, scene.employer_pages()), (scene.officer, scene.officer_pages())):
        page = browsing.new_page(user=user)
        requests: list[str] = []
        refused: list[str] = []
        page.on("request", lambda request, requests=requests: requests.append(request.url))
        page.on(
            "console",
            lambda entry, refused=refused: refused.append(entry.text) if "Content Security Policy" in entry.text else None,
        )
        for name, path in pages:
            requests.clear()
            refused.clear()
            response = page.goto(path)
            assert response is not None and response.ok, f"{name} ({path}) answered {response and response.status}"
            finder = InlineCodeFinder()
            finder.feed(response.text())
            found = [*finder.inline, *(f"CSP refused: {text}" for text in refused)]
            found += [f"references {url}" for url in finder.fetched if not urljoin(page.url, url).startswith(origin + "/")]
            found += [f"requested {url}" for url in requests if not (url.startswith(origin + "/") or url.startswith("data:"))]
            if found:
                problems[f"{name} ({path})"] = found
            visited += 1

    assert visited == len(Scene.anonymous_pages()) + len(scene.employer_pages()) + len(scene.officer_pages())
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())


def test_the_stylesheets_and_scripts_come_from_the_bootstrap_package_and_the_portal(browsing):
    """Bootstrap is served by Django's static files from the django-bootstrap-static package, not
    from a copy in the repository."""
    assert regions_are_loaded()
    for name in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"):
        found = Path(finders.find(name))
        assert Path(bootstrap.__file__).parent in found.parents, f"{name} is served from {found}, not the package"
    page = browsing.new_page()
    loaded: list[str] = []
    page.on("response", lambda response: loaded.append(f"{response.status} {urlsplit(response.url).path}"))
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")
    assert "200 /static/bootstrap/css/bootstrap.min.css" in loaded
    assert "200 /static/bootstrap/js/bootstrap.bundle.min.js" in loaded
    assert "200 /static/css/portal.css" in loaded
