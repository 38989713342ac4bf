from xinan.accounts.models.login_code import LoginCode
from xinan.accounts.models.rate_bucket import RateBucket
from xinan.accounts.models.totp_device import EncryptedTOTPDevice
from xinan.accounts.models.user import User

__all__ = ["EncryptedTOTPDevice", "LoginCode", "RateBucket", "User"]
