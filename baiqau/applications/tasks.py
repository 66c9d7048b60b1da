"""Background work of the applications app."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import TaskContext, task

from baiqau.calls.models import Call

from .exports import export_path, export_to_storage, filters_from_json


@task(takes_context=True)
def export_applications(
    context: TaskContext, call_pk: int, fmt: str, filters: dict[str, Any], language: str
) -> dict[str, Any]:
    """Write a call's filtered application list to private storage.

    The file is named after this task's result id, so the page that follows the task finds it
    through django-tasks alone. Arguments are plain JSON for the database backend.
    """
    call = Call.objects.get(pk=call_pk)
    name = export_path(call_pk, context.task_result.id, fmt)
    with translation.override(language):
        stored, rows = export_to_storage(call, filters_from_json(filters), fmt, name)
    return {"name": stored, "rows": rows}
