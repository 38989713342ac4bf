"""Settings for the test suite: the real settings, with a throwaway data directory."""

import os
import tempfile

# One data directory per test process, always: parallel workers inherit the controller's
# environment, and a shared folder of uploaded files would let them see each other's files.
os.environ["XINAN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"xinan-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
os.environ.setdefault("XINAN_TASK_BACKEND", "immediate")
os.environ.setdefault("XINAN_HTTPS", "false")
os.environ.setdefault("XINAN_DEBUG", "false")
os.environ.setdefault("XINAN_SECRET_KEY", "test-secret-key-" + "x" * 60)

from django.contrib.auth.hashers import Argon2PasswordHasher  # after the environment defaults are set

from xinan.settings import *  # noqa: F403 - the real settings, overridden below


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (the production algorithm), with small costs so the suite stays fast."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


PASSWORD_HASHERS = ["tests.settings.FastArgon2PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
