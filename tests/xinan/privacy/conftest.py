import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Proof files go to a folder of this test only."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
