from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class DeliveryError(Exception):
    """A provider refused or could not be reached. ``code`` is safe to log (no personal data)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class Deferred(DeliveryError):
    """Not sent yet and not failed: a rate limit says wait ``retry_after`` seconds (does not count as a try)."""

    def __init__(self, code: str, retry_after: float):
        super().__init__(code, f"retry after {retry_after:.0f} s")
        self.retry_after = retry_after


class Backend:
    # Recorded on the outbox row as the provider that sent the message.
    name = "outbox"
    # True when the message has left for a real provider: the row then drops its secrets.
    scrubs_after_send = True

    def send(self, message) -> str:
        """Deliver ``message``; return the provider's receipt id or raise DeliveryError."""
        raise NotImplementedError


@dataclass(frozen=True)
class Receipt:
    """A delivery report: the provider's id of the message, whether it reached the phone, why not."""

    provider_id: str
    delivered: bool
    detail: str
    at: dt.datetime | None


def china_time(text) -> dt.datetime | None:
    """Receipt times are written in China time without a zone: "2019-10-08 17:18:37"."""
    try:
        naive = dt.datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
