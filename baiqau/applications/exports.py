"""The screening list as a file: CSV (UTF-8 with BOM) and XLSX, with the list's own filters.

Rows come from `screening_list`, so an export holds exactly what the list shows, read as
`values_list` through `.iterator()`: memory stays flat however many applications a call has.
Small exports stream from the view; large ones are written by a background task
(`baiqau.applications.tasks.export_applications`) into private storage under
`exports/<call id>/<task result id>.<format>`, so no model is needed to find them again.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from baiqau.calls.models import Call
from baiqau.core.i18n import LANGUAGE_CODES, language_fallbacks
from baiqau.organisations.models import OrganisationType

from .models import ApplicationStatus
from .screening_selectors import ScreeningFilters, screening_list

__all__ = [
    "CHUNK_SIZE",
    "FORMATS",
    "csv_chunks",
    "export_count",
    "export_filename",
    "export_path",
    "export_rows",
    "export_to_storage",
    "exports_purge",
    "filters_from_json",
    "filters_to_json",
    "stream_limit",
    "valid_result_id",
    "write_xlsx",
]

CHUNK_SIZE = 2000
# format → content type
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORTS_DIR = "exports"
HEADERS = (
    gettext_lazy("Receipt number"),
    gettext_lazy("Title"),
    gettext_lazy("Organisation"),
    gettext_lazy("BIN"),
    gettext_lazy("Organisation type"),
    gettext_lazy("Target group"),
    gettext_lazy("Requested amount, ₸"),
    gettext_lazy("Status"),
    gettext_lazy("Submitted (Almaty time)"),
)
TRANSLATED = ("title", "organisation__name", "target_group")
PLAIN = (
    "receipt_number",
    "organisation__bin",
    "organisation__org_type",
    "requested_amount",
    "status",
    "submitted_at",
)
# Task result ids: 32 random letters and digits (immediate backend) or a UUID (database).
_RESULT_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def stream_limit() -> int:
    """Up to this many rows an export is answered at once; above it, in the background."""
    return int(getattr(settings, "BAIQAU_EXPORT_STREAM_MAX_ROWS", CHUNK_SIZE))


def filters_to_json(filters: ScreeningFilters) -> dict[str, Any]:
    return asdict(filters)


def filters_from_json(data: dict[str, Any]) -> ScreeningFilters:
    known = ScreeningFilters.__dataclass_fields__
    return ScreeningFilters(**{k: v for k, v in data.items() if k in known})


def export_count(call: Call, filters: ScreeningFilters) -> int:
    return screening_list(call, filters).count()


def _columns() -> list[str]:
    return [f"{base}_{code}" for base in TRANSLATED for code in LANGUAGE_CODES] + list(PLAIN)


def export_rows(
    call: Call, filters: ScreeningFilters, *, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[Any, ...]]:
    """One tuple per application, in the columns of HEADERS, texts in the active language.

    Amounts stay numbers and times are Almaty wall-clock times without a zone (spreadsheets
    know no zones; the header says which). Labels are resolved now, in the caller's language,
    not when a streaming response is finally read.
    """
    columns = _columns()
    where = {name: i for i, name in enumerate(columns)}
    order = language_fallbacks()
    picks = {
        base: [where[f"{base}_{code}"] for code in order if f"{base}_{code}" in where]
        for base in TRANSLATED
    }
    org_types = {value: str(label) for value, label in OrganisationType.choices}
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    zone = timezone.get_default_timezone()
    rows = screening_list(call, filters).values_list(*columns).iterator(chunk_size=chunk_size)

    receipt, bin_, org_type, amount, status, submitted_at = (where[name] for name in PLAIN)

    def text(row: tuple[Any, ...], base: str) -> str:
        return next((row[i] for i in picks[base] if row[i]), "")

    def generate() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            submitted = row[submitted_at]
            yield (
                row[receipt] or "",
                text(row, "title"),
                text(row, "organisation__name"),
                row[bin_],
                org_types.get(row[org_type], row[org_type]),
                text(row, "target_group"),
                row[amount],
                statuses.get(row[status], row[status]),
                submitted.astimezone(zone).replace(tzinfo=None, microsecond=0)
                if submitted
                else None,
            )

    return generate()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # The apostrophe makes a spreadsheet show the text as text instead of running it.
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[tuple[Any, ...]], *, batch: int = 500) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes, starting with a BOM so that Excel reads Cyrillic correctly."""
    writer = csv.writer(_Line())
    header = writer.writerow([str(h) for h in HEADERS])  # now, in the caller's language

    def generate() -> Iterator[bytes]:
        yield ("\ufeff" + header).encode()
        lines: list[str] = []
        for row in rows:
            lines.append(writer.writerow([_csv_cell(v) for v in row]))
            if len(lines) >= batch:
                yield "".join(lines).encode()
                lines = []
        if lines:
            yield "".join(lines).encode()

    return generate()


def write_xlsx(rows: Iterable[tuple[Any, ...]], target: IO[bytes], *, sheet_title: str) -> None:
    """An XLSX workbook written row by row (openpyxl's write-only mode keeps memory flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    for index, width in enumerate((20, 50, 40, 14, 34, 40, 18, 24, 18), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.font = bold
        return cell

    def text_cell(value: str) -> Any:
        # Characters XML 1.0 forbids (pasted from word processors) would abort the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("=") or value in ERROR_CODES:
            # openpyxl would store "=…" as a formula; people's text is never one.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def amount_cell(value: int) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0"
        return cell

    def time_cell(value: datetime | None) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell

    sheet.append([header_cell(h) for h in HEADERS])
    for row in rows:
        receipt, title, organisation, bin_, org_type, group, amount, status, submitted = row
        sheet.append(
            [
                text_cell(receipt),
                text_cell(title),
                text_cell(organisation),
                text_cell(bin_),
                text_cell(org_type),
                text_cell(group),
                amount_cell(amount),
                text_cell(status),
                time_cell(submitted),
            ]
        )
    workbook.save(target)


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Applications"


def export_filename(call: Call, fmt: str) -> str:
    return f"{call.slug}-applications-{timezone.localdate():%Y-%m-%d}.{fmt}"


def valid_result_id(result_id: str) -> bool:
    return bool(_RESULT_ID.fullmatch(result_id))


def export_path(call_pk: int, result_id: str, fmt: str) -> str:
    if fmt not in FORMATS or not valid_result_id(result_id):
        raise ValueError("Unknown export format or malformed task result id.")
    return f"{EXPORTS_DIR}/{int(call_pk)}/{result_id}.{fmt}"


def export_to_storage(
    call: Call, filters: ScreeningFilters, fmt: str, name: str
) -> tuple[str, int]:
    """Write the export to a temporary file, then into private storage: its name and rows.

    The file appears in storage only once complete, so nobody downloads half of it.
    """
    count = 0

    def counted() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        for row in export_rows(call, filters):
            count += 1
            yield row

    rows = counted()
    with tempfile.TemporaryFile() as scratch:
        if fmt == "csv":
            for chunk in csv_chunks(rows):
                scratch.write(chunk)
        elif fmt == "xlsx":
            write_xlsx(rows, scratch, sheet_title=gettext("Applications"))
        else:
            raise ValueError(f"Unknown export format {fmt!r}.")
        scratch.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)  # a retried task rewrites its own file
        return default_storage.save(name, File(scratch, name=name)), count


def exports_purge(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete export files older than `older_than`; the number deleted. For a periodic job."""
    cutoff = timezone.now() - older_than
    deleted = 0
    try:
        call_dirs, _files = default_storage.listdir(EXPORTS_DIR)
    except FileNotFoundError:
        return 0
    for call_dir in call_dirs:
        _dirs, files = default_storage.listdir(f"{EXPORTS_DIR}/{call_dir}")
        for file_name in files:
            name = f"{EXPORTS_DIR}/{call_dir}/{file_name}"
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted += 1
    return deleted
