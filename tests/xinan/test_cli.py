"""The ``xinan`` command dispatches to the two libraries without starting Django."""

import json
import subprocess
import sys

SAMPLE = "小张（化名）的室友李明华在13812345678打电话给辅导员。"


def test_xinan_deid_reads_stdin_and_prints_json():
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "deid", "-", "--json"],
        input=SAMPLE,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    flags = json.loads(result.stdout)
    kinds = {flag["kind"] for flag in flags}
    assert {"person_name", "phone"} <= kinds
    assert all(SAMPLE[flag["start"] : flag["end"]] == flag["text"] for flag in flags)


def test_xinan_report_check_prints_structure(tmp_path):
    from tests.campaign_fixtures import REPORT_TEXT

    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "report", "check", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["trigger"] == "学业挫折"
    assert report["nature"] == "自我伤害"
    assert len(report["sections"]) >= 5


def test_xinan_report_check_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "report", "check", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip()
