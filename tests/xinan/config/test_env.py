import pytest
from django.core.exceptions import ImproperlyConfigured

from xinan.config.env import env_bool, env_int, env_list, env_str


def test_env_bool_rejects_unknown_word(monkeypatch):
    monkeypatch.setenv("XINAN_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="XINAN_X"):
        env_bool("XINAN_X", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("no", False), ("off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("XINAN_X", raw)
    assert env_bool("XINAN_X", not expected) is expected


def test_env_int_below_minimum_fails_loudly(monkeypatch):
    monkeypatch.setenv("XINAN_AUDIT_RETENTION_DAYS", "30")
    with pytest.raises(ImproperlyConfigured, match="minimum 180"):
        env_int("XINAN_AUDIT_RETENTION_DAYS", 180, minimum=180)


def test_env_int_not_a_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("XINAN_X", "12a")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("XINAN_X", 1)


def test_env_str_choices_refuse_typo(monkeypatch):
    monkeypatch.setenv("XINAN_SMS_BACKEND", "aliyn")
    with pytest.raises(ImproperlyConfigured, match="aliyun"):
        env_str("XINAN_SMS_BACKEND", "outbox", choices=("outbox", "aliyun"))


def test_env_file_variant_is_read(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("XINAN_X_FILE", str(secret))
    assert env_str("XINAN_X") == "from-a-file"


def test_env_file_variant_missing_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("XINAN_X_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_str("XINAN_X")


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("XINAN_ALLOWED_HOSTS", " a.example , b.example,,")
    assert env_list("XINAN_ALLOWED_HOSTS", []) == ["a.example", "b.example"]
