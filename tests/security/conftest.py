"""Fixtures of the security tests: clients that speak English."""

import pytest


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
