"""The queue's exports as an officer downloads them: their address, and the rows of a CSV file."""

import csv
import io
from urllib.parse import urlencode

from django.urls import reverse


def export_url(name, **query):
    path = reverse(f"applications:{name}")
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
