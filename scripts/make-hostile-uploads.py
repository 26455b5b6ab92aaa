"""Writes the hostile files the upload tests send (tests/data/hostile_uploads/): each small on
disk, each made to hurt something that reads it carelessly. Run again only to change them; the
files are committed so the tests do not depend on this script.

    .venv/bin/python scripts/make-hostile-uploads.py
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "hostile_uploads"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_flood_png() -> bytes:
    """A PNG that declares 65,535 x 65,535 pixels (16 GB once decoded) in 60 bytes."""
    header = struct.pack(">IIBBBBB", 65535, 65535, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _png_chunk(b"IEND", b"")


def pixel_flood_jpeg() -> bytes:
    """A JPEG whose frame header declares 65,500 x 65,500 pixels."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 65500, 65500, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


def zip_bomb(name: str) -> bytes:
    """20 MB of zeros deflated into ~20 KB, under a document's name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, b"\x00" * (20 * 1024 * 1024))
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"3 0 obj\n<< /S /JavaScript /JS (app.alert('xss')) >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def deeply_nested_pdf() -> bytes:
    """A PDF object nested 20,000 arrays deep: a recursive parser runs out of stack."""
    depth = 20_000
    return b"%PDF-1.4\n1 0 obj\n" + b"[" * depth + b"]" * depth + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_then_html() -> bytes:
    """A polyglot: a PDF's first bytes, then a page that runs script if a browser sniffs it."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<html><body><script>alert('xss')</script></body></html>\n%%EOF\n"


FILES = {
    "pixel-flood.png": pixel_flood_png(),
    "pixel-flood.jpg": pixel_flood_jpeg(),
    "zip-bomb.pdf": zip_bomb("passport.pdf"),
    "zip-bomb.xlsx": zip_bomb("xl/worksheets/sheet1.xml"),
    "javascript.pdf": pdf_with_javascript(),
    "deeply-nested.pdf": deeply_nested_pdf(),
    "pdf-then-html.pdf": pdf_then_html(),
    "page.pdf": b"<!DOCTYPE html><html><body><script>alert('xss')</script></body></html>",
    "image.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'xss\')"/>',
    "program.pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode.",
    "application.hta": b"<hta:application><script>alert('xss')</script>",
    "empty.pdf": b"",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        (OUT / name).write_bytes(content)
        print(f"{name}: {len(content):,} bytes")


if __name__ == "__main__":
    main()
