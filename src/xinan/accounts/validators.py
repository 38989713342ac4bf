"""Mainland-China mobile numbers: validation and the one normal form we store."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-()（）.·]")
INVALID_PHONE = _("请输入有效的中国大陆手机号码（11位数字）。")


def normalise_phone(raw: str) -> str:
    """Return the 11-digit national form of a mainland mobile number, or raise ValidationError.

    Accepts full-width digits, spaces, dashes, brackets and a +86 / 0086 / 86 prefix.
    """
    if not isinstance(raw, str):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _SEPARATORS.sub("", text)
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not re.fullmatch(r"1[0-9]{10}", text):  # \d would also take other scripts' digits
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    parsed = phonenumbers.parse(text, "CN")
    number_type = phonenumbers.number_type(parsed)
    if not phonenumbers.is_valid_number(parsed) or number_type not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return text


def validate_phone(value: str) -> None:
    if normalise_phone(value) != value:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")


def mask_phone(phone: str) -> str:
    """138****1234: enough to recognise one's own number, not enough to call it."""
    if len(phone) != 11:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[7:]}"
