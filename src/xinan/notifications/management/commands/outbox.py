"""``xinan outbox``: read the recording outbox, as a demo user reads their phone.

Refuses to run unless the SMS backend is the recording outbox, so it can never
show messages that went to real phones.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinan.notifications.models import Message


class Command(BaseCommand):
    help = "Show the latest messages recorded by the outbox backend (development and demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", help="only messages to this phone")
        parser.add_argument("--last", type=int, default=10)

    def handle(self, *args, phone=None, last=10, **options):
        if settings.SMS_BACKEND != "outbox":
            raise CommandError("xinan outbox only works with XINAN_SMS_BACKEND=outbox")
        messages = Message.objects.order_by("-created_at", "-pk")
        if phone:
            messages = messages.to_address(phone)
        for message in messages[:last]:
            when = f"{timezone.localtime(message.created_at):%H:%M:%S}"
            self.stdout.write(f"{when} {message.channel} {message.to_address} [{message.status}] {message.body}")
