from xinan.audit.models.entry import AuditEntry, PurgePermit

__all__ = ["AuditEntry", "PurgePermit"]
