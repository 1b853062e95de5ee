from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task
def notification_email_send(*, to: str, subject: str, body: str) -> None:
    """Email one notification; a worker retries nothing, the in-app copy is the record."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
