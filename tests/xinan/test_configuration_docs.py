"""Every environment variable the settings read is documented in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_settings_variable_is_documented():
    source = (ROOT / "src" / "xinan" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'env_(?:str|bool|int|list|path)\(\s*"([A-Z0-9_]+)"', source))
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in variables if f"`{name}`" not in documented and name not in documented)
    assert variables, "no variables found: the pattern is out of date"
    assert missing == []
