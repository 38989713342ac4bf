"""`xinan check --deploy` with production-like settings reports nothing."""

import os
import secrets
import subprocess
import sys


def _production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINAN_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        XINAN_DATA_DIR=str(tmp_path),
        XINAN_SECRET_KEY=secrets.token_urlsafe(60),
        XINAN_ALLOWED_HOSTS="xinan.example.edu.cn",
        DATABASE_URL="postgres://xinan@127.0.0.1:5432/xinan",
        REDIS_URL="redis://127.0.0.1:6379/0",
        XINAN_TASK_BACKEND="rq",
        XINAN_BEHIND_PROXY="true",
        XINAN_STORAGE="s3",
        XINAN_S3_BUCKET="xinan-files",
        XINAN_S3_ENDPOINT_URL="https://s3.example.edu.cn",
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_bad_environment_value_stops_start_up_with_its_name(tmp_path):
    env = _production_env(tmp_path) | {"XINAN_SESSION_IDLE_MINUTES": "forever"}
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "XINAN_SESSION_IDLE_MINUTES" in result.stderr


def test_secret_key_generated_once_into_data_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINAN_") and k != "DJANGO_SETTINGS_MODULE"}
    env["XINAN_DATA_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = [sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xinan.settings'; {code}"]
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    second = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    assert first == second
    assert len(first.strip()) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
