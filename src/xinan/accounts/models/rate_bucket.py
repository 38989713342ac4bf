from __future__ import annotations

from django.db import models


class RateBucket(models.Model):
    """A fixed-window counter kept in the database.

    Living in the database (not the cache) means limits hold across every app
    server and worker, and keep holding when Redis is down: they never fail open.
    Keys carry only HMAC digests, never a phone number or an address.
    """

    key = models.CharField(max_length=100, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
