"""Free-text fields store browser line breaks as plain LF."""

from xinan.cases.forms_work import TextAreaField


def test_crlf_and_cr_become_lf_before_length_is_checked():
    field = TextAreaField(max_length=5)

    assert field.clean("a\r\nb\rc") == "a\nb\nc"
    assert field.clean("ab\r\ncd") == "ab\ncd"  # 5 characters once normalised


def test_empty_optional_value_stays_empty():
    assert TextAreaField(required=False).clean("") == ""
