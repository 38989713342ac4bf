from xinan.accounts.models.login_code import LoginCode
from xinan.accounts.models.rate_bucket import RateBucket
from xinan.accounts.models.user import User

__all__ = ["LoginCode", "RateBucket", "User"]
