import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baiqau.applications.models import Attachment
from baiqau.applications.services import attachment_add
from baiqau.applications.uploads import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    SizeLimitUploadHandler,
    sniff_content_type,
)
from baiqau.core.errors import DomainError
from tests.applications.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (JPEG_BYTES, JPEG),
        (office_bytes("docx"), DOCX),
        (office_bytes("xlsx"), XLSX),
        (office_bytes("odt"), ODT),
        (b"MZ\x90\x00 an executable", None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_type_is_recognised_by_content(content, expected):
    assert sniff_content_type(io.BytesIO(content)) == expected


def test_a_file_named_pdf_with_other_content_is_refused(draft, applicant):
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(DomainError) as error:
        attachment_add(actor=applicant, application=draft, upload=fake)
    assert error.value.code == "file_type"
    assert Attachment.objects.count() == 0


def test_a_real_pdf_is_stored_with_its_hash_outside_the_web_root(draft, applicant, settings):
    upload = SimpleUploadedFile("Жоба.pdf", PDF_BYTES, "application/octet-stream")
    attachment = attachment_add(actor=applicant, application=draft, upload=upload)
    assert attachment.content_type == PDF
    assert attachment.original_name == "Жоба.pdf"
    assert attachment.size == len(PDF_BYTES)
    assert len(attachment.sha256) == 64
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "Жоба" not in attachment.file.name  # stored under a random name


def test_one_file_over_the_limit_is_refused(draft, applicant, settings):
    settings.BAIQAU_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200)
    with pytest.raises(DomainError) as error:
        attachment_add(actor=applicant, application=draft, upload=upload)
    assert error.value.code == "file_too_large"


def test_all_files_together_over_the_limit_are_refused(draft, applicant, settings):
    settings.BAIQAU_APPLICATION_ATTACHMENTS_MAX_BYTES = len(PDF_BYTES) * 2
    for _ in range(2):
        attachment_add(
            actor=applicant, application=draft, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    with pytest.raises(DomainError) as error:
        attachment_add(
            actor=applicant, application=draft, upload=SimpleUploadedFile("c.pdf", PDF_BYTES)
        )
    assert error.value.code == "files_too_large"
    assert Attachment.objects.count() == 2


def test_a_member_of_another_organisation_cannot_attach(draft, other_applicant):
    with pytest.raises(DomainError) as error:
        attachment_add(
            actor=other_applicant, application=draft, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    assert error.value.code == "not_member"


def test_fifty_megabyte_upload_is_refused_without_being_read_whole(client, draft, applicant):
    client.force_login(applicant)
    read = {"bytes": 0}
    original = SizeLimitUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        read["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    big = SimpleUploadedFile("huge.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024))
    SizeLimitUploadHandler.receive_data_chunk = counting
    try:
        response = client.post(f"/en/applications/{draft.pk}/files/", {"file": big})
    finally:
        SizeLimitUploadHandler.receive_data_chunk = original
    assert response.status_code == 413
    assert "larger than 10 MB" in response.content.decode()
    # At most one chunk (64 KiB) was looked at: the rest of the body was never read.
    assert read["bytes"] <= 64 * 1024
    assert Attachment.objects.count() == 0


def test_upload_just_over_ten_megabytes_is_stopped_while_reading(
    client, draft, applicant, settings
):
    settings.BAIQAU_ATTACHMENT_MAX_BYTES = 200 * 1024
    client.force_login(applicant)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * (150 * 1024))
    ok = client.post(f"/en/applications/{draft.pk}/files/", {"file": upload})
    assert ok.status_code == 302
    upload = SimpleUploadedFile("b.pdf", PDF_BYTES + b"0" * (250 * 1024))
    refused = client.post(f"/en/applications/{draft.pk}/files/", {"file": upload})
    assert refused.status_code == 413
    assert Attachment.objects.count() == 1


def test_file_question_keeps_one_file(draft, applicant, file_question):
    for name in ("first.pdf", "second.pdf"):
        attachment_add(
            actor=applicant,
            application=draft,
            upload=SimpleUploadedFile(name, PDF_BYTES),
            question=file_question,
        )
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["second.pdf"]
