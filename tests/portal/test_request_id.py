"""Every response carries a request id, and every log line of the request shows it."""

import json
import logging

import pytest
from django.http import HttpResponse
from pythonjsonlogger.json import JsonFormatter

from portal.request_id import RequestIdFilter, RequestIdMiddleware


@pytest.mark.django_db
def test_each_response_carries_a_fresh_request_id(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_but_a_malformed_one_is_replaced(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\n{\"level\": \"CRITICAL\"}")["X-Request-ID"]
    assert "\n" not in forged and "CRITICAL" not in forged


def test_log_lines_written_during_a_request_carry_its_id_and_lines_outside_do_not(rf):
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(request_id)s %(message)s"))
    logger = logging.getLogger("portal.test.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("deciding a case")
        return HttpResponse("done")

    try:
        response = RequestIdMiddleware(view)(rf.get("/"))
        logger.info("after the request")
    finally:
        logger.removeHandler(handler)

    assert lines[0]["message"] == "deciding a case"
    assert lines[0]["request_id"] == response["X-Request-ID"]
    assert lines[1]["request_id"] == "-"
