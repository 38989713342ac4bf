"""``deid FILE [--json]`` (dispatched from ``xinan deid``) and ``python -m xinan_deid``."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from xinan_deid.cli import main

REPORT = "当事人张伟，电话13800138000，就读于华南理工大学。辅导员王老师很着急。"


def test_plain_output_lists_flags_with_position_and_suggestion(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")

    code = main([str(path)])

    out = capsys.readouterr().out
    assert code == 0
    assert "第1行第4列  [高] 姓名：张伟" in out
    assert "电话号码：13800138000  →  建议：[已删除]" in out
    assert "共 4 处：高风险 3，中风险 0，低风险 1。" in out


def test_json_output_has_required_fields(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")

    code = main([str(path), "--json"])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [d["kind"] for d in data] == ["person_name", "phone", "school", "teacher_title"]
    assert {"start", "end", "kind", "severity", "text", "replacement", "reason"} <= set(data[0])
    assert data[0]["text"] == REPORT[data[0]["start"] : data[0]["end"]] == "张伟"


def test_json_output_keeps_chinese_unescaped(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")

    main([str(path), "--json"])

    assert "张伟" in capsys.readouterr().out


def test_stdin_is_read_with_dash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode("utf-8"))))

    code = main(["-", "--json"])

    assert code == 0
    assert len(json.loads(capsys.readouterr().out)) == 4


def test_gb18030_text_file_is_decoded(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("gb18030"))

    assert main([str(path)]) == 0
    assert "张伟" in capsys.readouterr().out


def test_clean_text_says_nothing_found(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text("一天上午，辅导员正在办公室工作。", encoding="utf-8")

    assert main([str(path)]) == 0
    assert "未发现需要处理的隐私信息" in capsys.readouterr().out


def test_missing_file_exits_2_with_chinese_message(tmp_path, capsys):
    code = main([str(tmp_path / "nope.txt")])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "找不到文件" in captured.err


def test_unsupported_type_exits_2(tmp_path, capsys):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04")

    assert main([str(path)]) == 2
    assert "不支持的文件类型" in capsys.readouterr().err


def test_docx_is_read_through_the_report_format_reader(tmp_path, capsys):
    pytest.importorskip("xinan_reportformat")
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(REPORT)
    path = tmp_path / "report.docx"
    document.save(str(path))

    code = main([str(path), "--json"])

    assert code == 0
    assert "张伟" in [d["text"] for d in json.loads(capsys.readouterr().out)]


def test_unreadable_docx_exits_2_with_the_readers_message(tmp_path, capsys):
    pytest.importorskip("xinan_reportformat")
    path = tmp_path / "report.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)

    code = main([str(path)])

    assert code == 2
    assert "错误：" in capsys.readouterr().err


def test_runs_as_a_module(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    src = Path(__file__).resolve().parents[2] / "src"

    result = subprocess.run(
        [sys.executable, "-m", "xinan_deid", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(src), "PYTHONIOENCODING": "utf-8"},
    )

    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 4
