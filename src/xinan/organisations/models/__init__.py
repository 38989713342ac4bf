from xinan.organisations.models.membership import Membership
from xinan.organisations.models.organisation import Organisation

__all__ = ["Membership", "Organisation"]
