"""Attachments are recognised by their content, never by their file name."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", ODT: "odt"}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in (*EXTENSIONS.values(), "jpeg"))


def sniff_content_type(stream: IO[bytes]) -> str | None:
    """The type of a file from its first bytes (and, for office formats, its ZIP directory)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(stream)
    return None


def _office_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    return None


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


@dataclass
class UploadTooLarge:
    limit: int


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit, so a 50 MB file never fills
    memory or disk; the view then tells the person the limit."""

    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.over_limit = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # The whole request is larger than one file may be, plus room for the form fields:
        # stop at the first chunk of the file (raising here would escape Django's parser).
        self.over_limit = content_length > self.limit + 64 * 1024
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.over_limit or self.received > self.limit:
            # The view reads this to tell the person the limit.
            setattr(self.request, "upload_too_large", UploadTooLarge(self.limit))  # noqa: B010
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
