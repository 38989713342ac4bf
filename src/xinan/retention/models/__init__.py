from xinan.retention.models.destruction import DestructionRecord

__all__ = ["DestructionRecord"]
