"""Benchmark settings: the real settings, plus a bare baseline page and a fast hasher."""

import os

os.environ.setdefault("XINAN_TASK_BACKEND", "immediate")
os.environ.setdefault("XINAN_HTTPS", "false")

from django.contrib.auth.hashers import Argon2PasswordHasher  # after the environment defaults are set

from xinan.settings import *  # noqa: F403 - the real settings, overridden below


class BenchArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


PASSWORD_HASHERS = ["bench.settings.BenchArgon2PasswordHasher"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns about a missing folder
