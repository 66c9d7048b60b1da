from django_tasks import task

from .services import deliver


@task()
def deliver_email(delivery_pk: int) -> str:
    return deliver(delivery_pk)
