import datetime as dt

from django import forms

from xinan.crypto.fields import EncryptedDateField, decrypt_text, encrypt_text


def test_encrypt_round_trip_and_prefix():
    token = encrypt_text("测试内容")
    assert token.startswith("enc1:")
    assert "测试内容" not in token
    assert decrypt_text(token) == "测试内容"


def test_encrypted_date_field_gives_a_date_form_field():
    field = EncryptedDateField(null=True, blank=True).formfield()
    assert isinstance(field, forms.DateField)
    assert field.clean("2010-05-06") == dt.date(2010, 5, 6)
