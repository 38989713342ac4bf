from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives

from xinan.notifications.backends.base import Backend, DeliveryError


class SmtpEmailBackend(Backend):
    name = "smtp"

    def send(self, message) -> str:
        email = EmailMultiAlternatives(message.subject, message.body, to=[message.to_address])
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError("smtp_error", type(exc).__name__) from exc
        return f"smtp-{message.pk}"
