from django_tasks import task

from .services import deliver


@task()
def deliver_email(delivery_pk: int) -> str:
    return deliver(delivery_pk)


@task()
def announce_call_published(call_pk: int) -> int:
    """Tell the subscribers about a newly published call (see services.call_published)."""
    from baiqau.calls.models import Call

    from .services import call_published

    call = Call.objects.filter(pk=call_pk).first()
    return 0 if call is None else call_published(call)


@task()
def send_invitation_email(invitation_pk: int, language: str) -> str:
    """E-mail an invitation to an address that has no account yet. A failure raises, so the
    task backend records it (and logs it); the organiser can send the invitation again."""
    from .invitations import invitation_email_send

    return invitation_email_send(invitation_pk, language)
