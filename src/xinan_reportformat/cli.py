"""Command line: ``report check FILE [--json]``.

The project's ``xinan report check FILE`` dispatches to
``main(["check", FILE, ...])``; ``python -m xinan_reportformat check FILE``
does the same. FILE is a .txt, .docx or .pdf file, or ``-`` for stdin.
Exit code 0 when the file was read (whatever problems it has), 2 when it
cannot be read or the command line is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from xinan_reportformat.charcount import (
    CHAR_LIMIT,
    count_all_chars,
    count_chars,
    count_report_chars,
)
from xinan_reportformat.checks import check_report
from xinan_reportformat.errors import DocumentReadError
from xinan_reportformat.export import numbered_headings, subtitle_line
from xinan_reportformat.model import SEVERITY_LABELS, Problem, Report
from xinan_reportformat.reading import DEFAULT_MAX_BYTES, parse_document
from xinan_reportformat.subtitle import parse_subtitle

EXIT_OK = 0
EXIT_UNREADABLE = 2

MSG_NOT_FOUND = "找不到文件，或文件无法打开。请检查文件路径。"


class _ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's English text is replaced on purpose
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_UNREADABLE,
            "命令格式不正确。用法：report check 文件 [--json]（文件可为 .txt、.docx、.pdf，或用 - 表示标准输入）\n",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(prog="report", description="案例报告格式检查")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_ChineseArgumentParser)
    check = commands.add_parser("check", help="检查案例报告的格式")
    check.add_argument("file", help="报告文件（.txt、.docx、.pdf），- 表示从标准输入读取")
    check.add_argument("--json", action="store_true", help="以 JSON 格式输出结果")
    return parser


def main(
    argv: list[str] | None = None,
    *,
    stdin=None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    arguments = build_parser().parse_args(argv)
    try:
        data = read_input(arguments.file, stdin)
        report = parse_document(data)
    except DocumentReadError as error:
        print(error.message, file=stderr)
        return EXIT_UNREADABLE
    problems = check_report(report)
    if arguments.json:
        print(
            json.dumps(report_summary(report, problems), ensure_ascii=False, indent=2),
            file=stdout,
        )
    else:
        print(format_summary(report, problems), file=stdout)
    return EXIT_OK


def read_input(path: str, stdin=None) -> bytes:
    """Read at most one byte more than the size limit, so a huge file is
    refused without being read whole."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return stream.read(DEFAULT_MAX_BYTES + 1)
    try:
        with open(path, "rb") as handle:
            return handle.read(DEFAULT_MAX_BYTES + 1)
    except OSError as error:
        raise DocumentReadError(MSG_NOT_FOUND) from error


def report_summary(report: Report, problems: list[Problem]) -> dict:
    """The JSON shape of a checked report."""
    info = parse_subtitle(report.subtitle_dash + report.subtitle)
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "subtitle_dash": report.subtitle_dash,
        "trigger": info.trigger,
        "nature": info.nature,
        "sections": [
            {
                "key": s.key,
                "heading": s.heading,
                "text": s.text,
                "char_count": count_chars(s.text),
            }
            for s in report.sections
        ],
        "footnotes": [{"marker": f.marker, "text": f.text} for f in report.footnotes],
        "char_count": count_report_chars(report),
        "char_limit": CHAR_LIMIT,
        "char_count_all": count_all_chars(report),
        "problems": [p.to_dict() for p in problems],
    }


def format_summary(report: Report, problems: list[Problem]) -> str:
    """The human-readable check result, in Chinese."""
    info = parse_subtitle(report.subtitle_dash + report.subtitle)
    count = count_report_chars(report)
    lines = [
        f"主标题：{report.title or '（未找到）'}",
        f"副标题：{subtitle_line(report) or '（未找到）'}",
        f"诱发事件：{info.trigger or '（无法识别）'}",
        f"危机性质：{info.nature or '（无法识别）'}",
        f"正文字数：{count} 字（上限 {CHAR_LIMIT} 字{'，已超出' if count > CHAR_LIMIT else ''}）",
        "各部分：",
    ]
    lines += [f"  {heading}（{count_chars(s.text)} 字）" for heading, s in numbered_headings(report)] or [
        "  （未识别出任何部分）"
    ]
    lines.append(f"脚注：{len(report.footnotes)} 条")
    lines += _format_problems(problems)
    return "\n".join(lines)


def _format_problems(problems: list[Problem]) -> list[str]:
    if not problems:
        return ["检查结果：未发现格式问题。"]
    lines = [f"检查结果：发现 {len(problems)} 个问题"]
    lines += [f"  [{SEVERITY_LABELS[p.severity]}] {p.message}" for p in problems]
    return lines
