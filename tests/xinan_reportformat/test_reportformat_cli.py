"""The ``report check FILE [--json]`` command."""

import io
import json
import subprocess
import sys

import pytest

from xinan_reportformat import to_docx, to_pdf
from xinan_reportformat.cli import main

SAMPLE_WORDS = "多方协同"


def run_cli(argv, stdin_bytes: bytes | None = None):
    stdout, stderr = io.StringIO(), io.StringIO()
    stdin = io.BytesIO(stdin_bytes) if stdin_bytes is not None else None
    code = main(argv, stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def sample_files(tmp_path, sample_text, sample_report):
    paths = {
        "txt": tmp_path / "report.txt",
        "docx": tmp_path / "report.docx",
        "pdf": tmp_path / "report.pdf",
    }
    paths["txt"].write_text(sample_text, encoding="utf-8")
    paths["docx"].write_bytes(to_docx(sample_report))
    paths["pdf"].write_bytes(to_pdf(sample_report))
    return paths


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_cli_check_json_has_the_documented_shape(sample_files, kind):
    # Act
    code, out, err = run_cli(["check", str(sample_files[kind]), "--json"])

    # Assert
    assert code == 0
    assert err == ""
    result = json.loads(out)
    assert result["title"] == "多方协同 化险为夷"
    assert result["subtitle"] == "一例由抑郁症引发自杀危机的干预报告"
    assert (result["trigger"], result["nature"]) == ("抑郁症", "自杀")
    assert [s["heading"] for s in result["sections"]][:5] == [
        "当事人基本信息",
        "危机的发生",
        "干预过程",
        "干预结果",
        "经验分享",
    ]
    assert all(set(s) >= {"heading", "text"} for s in result["sections"])
    assert result["char_count"] == 2094
    assert next(p["code"] for p in result["problems"]) == "too_long"
    assert all(p["message"] for p in result["problems"])


def test_cli_check_json_is_not_ascii_escaped(sample_files):
    # Act
    _, out, _ = run_cli(["check", str(sample_files["txt"]), "--json"])

    # Assert
    assert SAMPLE_WORDS in out
    assert "\\u" not in out


def test_cli_check_text_output_is_chinese_readable(sample_files):
    # Act
    code, out, _ = run_cli(["check", str(sample_files["txt"])])

    # Assert
    assert code == 0
    assert "诱发事件：抑郁症" in out
    assert "危机性质：自杀" in out
    assert "正文字数：2094 字" in out
    assert "一、当事人基本信息" in out
    assert "[错误] 正文共 2094 字" in out


def test_cli_check_stdin_dash_is_read(sample_text):
    # Act
    code, out, _ = run_cli(["check", "-", "--json"], stdin_bytes=sample_text.encode())

    # Assert
    assert code == 0
    assert json.loads(out)["trigger"] == "抑郁症"


def test_cli_check_unreadable_file_exits_2_with_chinese_message(tmp_path):
    # Arrange
    path = tmp_path / "report.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)

    # Act
    code, out, err = run_cli(["check", str(path), "--json"])

    # Assert
    assert code == 2
    assert out == ""
    assert ".docx" in err
    assert "Traceback" not in err


def test_cli_check_missing_file_exits_2(tmp_path):
    # Act
    code, _, err = run_cli(["check", str(tmp_path / "nothing.txt")])

    # Assert
    assert code == 2
    assert "找不到文件" in err


def test_cli_wrong_arguments_exit_2():
    # Act
    with pytest.raises(SystemExit) as caught:
        run_cli(["frobnicate"])

    # Assert
    assert caught.value.code == 2


def test_cli_module_runs_with_python_m(sample_files):
    # Act
    completed = subprocess.run(
        [sys.executable, "-m", "xinan_reportformat", "check", str(sample_files["txt"]), "--json"],
        capture_output=True,
        timeout=60,
        check=False,
    )

    # Assert
    assert completed.returncode == 0
    assert json.loads(completed.stdout.decode("utf-8"))["nature"] == "自杀"


def test_cli_module_reads_stdin_dash(sample_text):
    # Act
    completed = subprocess.run(
        [sys.executable, "-m", "xinan_reportformat", "check", "-"],
        input=sample_text.encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=False,
    )

    # Assert
    assert completed.returncode == 0
    assert "诱发事件：抑郁症" in completed.stdout.decode("utf-8")


def test_cli_module_unreadable_stdin_exits_2():
    # Act
    completed = subprocess.run(
        [sys.executable, "-m", "xinan_reportformat", "check", "-", "--json"],
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )

    # Assert
    assert completed.returncode == 2
    assert completed.stdout == b""
    assert "文件是空的" in completed.stderr.decode("utf-8")
    assert b"Traceback" not in completed.stderr
