"""Writing the audit trail. Services call ``record`` inside their own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from xinan.audit.enums import AuditAction
from xinan.audit.models import AuditEntry

# SQLite only: a table outside Django's models (so no flush or ORM touches it); the delete
# trigger lets rows go only while the purge's own transaction holds a row here.
PURGE_PERMIT_TABLE = "xinan_audit_purge_permit"
GRANT_PURGE_SQL = "INSERT INTO xinan_audit_purge_permit (granted) VALUES (1)"
REVOKE_PURGE_SQL = "DELETE FROM xinan_audit_purge_permit"
SECRET_KEY_PARTS = ("password", "secret", "token", "code", "otp", "key")
MASK = "******"


def mask_secrets(data: Any) -> Any:
    """Replace the value of any key that looks secret; recurse into dicts and lists."""
    if isinstance(data, dict):
        return {
            key: MASK if any(part in str(key).lower() for part in SECRET_KEY_PARTS) else mask_secrets(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_secrets(item) for item in data]
    return data


def client_ip(request) -> str | None:
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw last; earlier hops are client-controlled.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


def _organisation_of(obj) -> int | None:
    """The organisation an object belongs to: its school, or itself when it is one."""
    if obj is None:
        return None
    if obj._meta.label_lower == "organisations.organisation":
        return obj.pk
    return getattr(obj, "school_id", None)


def _home_organisation_of(actor) -> int | None:
    """Where an event of this person is filed when it concerns no object: their first organisation."""
    if actor is None or not actor.pk:
        return None
    from xinan.organisations.services.queries import held_roles

    roles = held_roles(actor)
    return roles[0].organisation_id if roles else None


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    obj=None,
    request=None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    request_user = getattr(request, "user", None)
    if actor is None and request_user is not None and request_user.is_authenticated:
        actor = request_user
    if organisation is None:
        organisation_id = _organisation_of(obj) or _home_organisation_of(actor)
    else:
        organisation_id = organisation.pk
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.name[:60] if actor is not None and actor.pk else "",
        organisation_id=organisation_id,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        ip=client_ip(request),
        reason=reason[:500],
        before=mask_secrets(before) if before is not None else None,
        after=mask_secrets(after) if after is not None else None,
    )


def record_refused_upload(
    path: str,
    reason: str,
    *,
    actor=None,
    obj=None,
    organisation=None,
    request=None,
    size: int | None = None,
) -> AuditEntry:
    """A refused upload: where it was sent (``path``: dossier, campaign.report, selection.seal…),
    the object it was for, why (a reason code such as ``pdf.javascript``) and its size. Never
    its content or its file name (a name can hold a person's name). Called after the refusal has
    left any transaction of the upload, so that the row stays when that transaction rolls back."""
    after: dict = {"path": path, "reason": reason or "refused"}
    if size is not None:
        after["bytes"] = size
    return record(
        AuditAction.UPLOAD_REFUSED, actor=actor, obj=obj, organisation=organisation, request=request, after=after
    )


def body_size(request) -> int | None:
    """The size a request declared for its body (an upload cut off while streaming has no other)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


def purge_expired_entries(*, now: dt.datetime | None = None) -> int:
    """Delete entries older than the retention period (never shorter than 180 days)."""
    days = max(settings.AUDIT_RETENTION_DAYS, 180)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    from xinan.audit.services.chain import seal_pending

    seal_pending(now=now)
    with transaction.atomic():
        expired = AuditEntry.objects.filter(at__lt=cutoff)
        # The chain goes on from the last entry removed: the purge records its hash as the anchor.
        last_removed = expired.exclude(entry_hash="").order_by("-id").only("entry_hash").first()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL xinan.audit_purge = 'on'")
            else:
                cursor.execute(GRANT_PURGE_SQL)
            deleted, _ = expired.delete()
            if connection.vendor != "postgresql":
                cursor.execute(REVOKE_PURGE_SQL)
        if deleted:
            anchor = last_removed.entry_hash if last_removed is not None else ""
            record("xinan.audit.purge", reason=f"retention {days} days", after={"deleted": deleted, "anchor": anchor})
    return deleted
