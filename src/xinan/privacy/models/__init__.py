from xinan.privacy.models.consent import Consent
from xinan.privacy.models.policy import PolicyPage

__all__ = ["Consent", "PolicyPage"]
