"""End-to-end tests in headless Chromium (see conftest.py for how they run and when they skip)."""
