import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xinan.accounts.validators import mask_phone, normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "008613812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        "(138)1234-5678",
    ],
)
def test_normalise_phone_accepts_common_writings(raw):
    assert normalise_phone(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["", "12345", "23812345678", "1381234567", "138123456789", "abc", "010-12345678"])
def test_normalise_phone_refuses_non_mobile_with_chinese_message(raw):
    with pytest.raises(ValidationError) as info:
        normalise_phone(raw)
    assert "手机号" in str(info.value.messages[0])


@given(st.text(max_size=40))
def test_normalise_phone_never_raises_anything_but_validation_error(text):
    try:
        result = normalise_phone(text)
    except ValidationError:
        return
    assert len(result) == 11
    assert result.isdigit()
    assert result.startswith("1")


def test_mask_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_normalise_phone_refuses_digits_of_other_scripts():
    with pytest.raises(ValidationError):
        normalise_phone("١٣٨١٢٣٤٥٦٧٨")
