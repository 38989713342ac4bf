"""Every env file the docs show is read the same by `sh` (`set -a; . file`) and by systemd's
`EnvironmentFile=` rules, and every JSON value in it survives both."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = re.compile(r"^[A-Z][A-Z0-9_]*=")


def documented_env_files() -> list[tuple[str, str]]:
    """(where, text) of every fenced block, or heredoc inside one, made only of comments and assignments."""
    found = []
    for doc in sorted((ROOT / "docs").rglob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)):
            candidates = re.findall(r"<<'EOF'\n(.*?)\nEOF", block, flags=re.S) or [block]
            for candidate in candidates:
                lines = [line for line in candidate.splitlines() if line.strip() and not line.startswith("#")]
                if len(lines) >= 3 and all(ASSIGNMENT.match(line) for line in lines):
                    found.append((f"{doc.name} block {number}", candidate))
    return found


def read_as_systemd(text: str) -> dict[str, str]:
    """systemd.exec(5), EnvironmentFile=: comments start with # or ;, surrounding whitespace is dropped,
    a value in single quotes is verbatim, in double quotes keeps the characters after a backslash from
    "\\`$, and an unquoted value keeps interior whitespace and quotes and drops a backslash before a character."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r'\\(["\\`$])', r"\1", value[1:-1])
        else:
            value = re.sub(r"\\(.)", r"\1", value)
        values[key.strip()] = value
    return values


def read_as_sh(text: str, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "xinan.env"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["sh", "-c", 'set -a; . "$1"; set +a; env -0', "sh", str(path)],
        env={"PATH": "/usr/bin:/bin"}, capture_output=True, timeout=30, check=True,
    )
    pairs = [item.decode("utf-8").split("=", 1) for item in result.stdout.split(b"\0") if b"=" in item]
    return dict(pairs)


FILES = documented_env_files()


def test_the_docs_show_env_files():
    assert len(FILES) >= 2, "the pattern finding env files in the docs is out of date"


@pytest.mark.parametrize(("where", "text"), FILES, ids=[where for where, _ in FILES])
def test_env_file_reads_the_same_in_sh_and_systemd(where, text, tmp_path):
    # Arrange
    expected = read_as_systemd(text)

    # Act
    loaded = read_as_sh(text, tmp_path)

    # Assert: every variable has the same value both ways, and JSON values are still JSON.
    assert {key: loaded.get(key) for key in expected} == expected, where
    for key, value in expected.items():
        if value.startswith(("{", "[")):
            assert isinstance(json.loads(value), dict | list), key


def test_an_unquoted_json_value_is_caught(tmp_path):
    # Arrange: the mistake the deployment guide once made.
    text = 'XINAN_SMS_TEMPLATE_CODES={"login_code": "SMS_1"}\n'

    # Act
    by_sh, by_systemd = read_as_sh(text, tmp_path), read_as_systemd(text)

    # Assert: systemd keeps it whole, sh cuts it at the space; the check above would fail on it.
    assert by_systemd["XINAN_SMS_TEMPLATE_CODES"] == '{"login_code": "SMS_1"}'
    assert by_sh.get("XINAN_SMS_TEMPLATE_CODES") != by_systemd["XINAN_SMS_TEMPLATE_CODES"]
