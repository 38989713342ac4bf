"""The machinery of the access matrix: the URL patterns of the platform, one request per cell,
and the two checks on the database (no write on a refusal, nothing left behind)."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from xinan.audit.enums import AuditAction
from xinan.audit.models import AuditEntry

METHODS = ("get", "post", "put", "patch", "delete")
DENIED = AuditAction.ACCESS_DENIED
# Written on any request or by the refusal itself: the audit trail (checked on its own) and sessions.
NOT_DATA = frozenset({"audit_auditentry", "django_session"})
# Filled by the matrix test, shown in the terminal summary by this folder's conftest.
RESULTS = {"urls": 0, "roles": 0, "methods": 0, "cells": 0, "outside": 0, "failed_urls": 0}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)


def url_names() -> list[str]:
    """Every named URL pattern of the platform, as ``namespace:name``, from the resolver itself."""
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                names.append(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver(), "")
    return names


def data_tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in NOT_DATA)


def fingerprint() -> str:
    """A hash over every row of every table except the audit trail and the sessions."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in data_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            rows = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)) for row in cursor)
            digest.update(table.encode())
            for row in rows:
                digest.update(row.encode())
    return digest.hexdigest()


@contextmanager
def writes_watched():
    """Collect the tables written to (other than the audit trail and the sessions) inside the block."""
    written: set[str] = set()

    def watch(execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and match.group(1).lower() not in NOT_DATA:
            written.add(match.group(1))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield written


@dataclass
class Outcome:
    status: int
    location: str
    refusals: int
    written: frozenset

    def short(self) -> str:
        extra = f" denied×{self.refusals}" if self.refusals else ""
        extra += f" wrote {sorted(self.written)}" if self.written else ""
        return f"{self.status}{extra}"


def last_denial_pk() -> int:
    return AuditEntry.objects.filter(action=DENIED).order_by("-pk").values_list("pk", flat=True).first() or 0


def request_cell(client, session_key: str | None, method: str, url: str, *, keep: bool) -> Outcome:
    """One request as the client's person; rolled back afterwards unless ``keep`` (refusals are kept,
    so the fingerprint taken after the whole row can prove they changed nothing)."""
    client.cookies.clear()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    since = last_denial_pk()
    with transaction.atomic():
        with writes_watched() as written:
            response = getattr(client, method)(url)
        refusals = AuditEntry.objects.filter(action=DENIED, pk__gt=since).count()
        if not keep:
            transaction.set_rollback(True)
    return Outcome(response.status_code, response.get("Location", ""), refusals, frozenset(written))
