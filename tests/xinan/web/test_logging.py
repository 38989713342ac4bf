import logging

from xinan.web.logging import RedactPersonalDataFilter, redact


def test_redact_scrubs_phones_ids_codes_and_emails():
    text = "phone 13812345678 id 11010519491231002X code 123456 mail a.b@example.org"
    cleaned = redact(text)
    for secret in ("13812345678", "11010519491231002X", "123456", "a.b@example.org"):
        assert secret not in cleaned


def test_filter_rewrites_the_record_message():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "sent to %s", ("13812345678",), None)
    RedactPersonalDataFilter().filter(record)
    assert "13812345678" not in record.getMessage()
