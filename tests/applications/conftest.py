import io
import zipfile

import pytest

from baiqau.calls.models import CallStatus, Question, QuestionKind
from tests.factories import CallFactory, complete_draft

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<x/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def open_call(db):
    call = CallFactory(
        status=CallStatus.PUBLISHED, eligible_org_types=["ngo", "dpo"], max_per_project=2_000_000
    )
    return call


@pytest.fixture
def file_question(open_call):
    return Question.objects.create(
        call=open_call, kind=QuestionKind.FILE, label_kk="Хат", label_en="Letter", required=True
    )


@pytest.fixture
def draft(open_call, applicant):
    return complete_draft(open_call, applicant)
