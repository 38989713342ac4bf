"""``deid FILE [--json]``: list the spans of a case report that need attention.

FILE is a .txt, .docx or .pdf file, or ``-`` for standard input. Exit status
0 when the text could be read (whatever was found), 2 when it could not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import detect
from .types import Flag

EXIT_OK = 0
EXIT_UNREADABLE = 2


class InputError(Exception):
    """The input could not be read; the message is for the user (Chinese)."""


def read_input(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
        return _decode(data)
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"这是一个目录，不是文件：{path}") from exc
    except OSError as exc:
        raise InputError(f"无法读取文件：{path}") from exc
    suffix = p.suffix.lower()
    if suffix in (".docx", ".pdf"):
        try:
            import xinan_reportformat
        except ImportError as exc:
            raise InputError("无法读取 Word/PDF 文件：缺少文档解析组件") from exc
        try:
            return xinan_reportformat.extract_text(data, filename=p.name)
        except xinan_reportformat.DocumentReadError as exc:
            raise InputError(str(exc)) from exc
    if suffix in ("", ".txt", ".text", ".md"):
        return _decode(data)
    raise InputError(f"不支持的文件类型“{suffix}”，请提供 .txt、.docx 或 .pdf 文件")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文本编码，请保存为 UTF-8 编码的文本文件")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def format_plain(text: str, flags: list[Flag]) -> str:
    if not flags:
        return "未发现需要处理的隐私信息。"
    lines = []
    for f in flags:
        line, col = _line_col(text, f.start)
        rep = f.replacement or "（删除）"
        lines.append(
            f"第{line}行第{col}列  [{f.severity.label}] {f.kind.label}：{f.text}  →  建议：{rep}\n"
            f"    {f.reason}"
        )
    counts = {s: sum(1 for f in flags if f.severity.label == s) for s in ("高", "中", "低")}
    lines.append(f"共 {len(flags)} 处：高风险 {counts['高']}，中风险 {counts['中']}，低风险 {counts['低']}。")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="deid", description="检查案例报告中可能泄露身份的信息")
    parser.add_argument("file", help="要检查的文件（.txt、.docx、.pdf），或 - 表示标准输入")
    parser.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    args = parser.parse_args(argv)
    try:
        text = read_input(args.file)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    flags = detect(text)
    if args.json:
        print(json.dumps([f.to_dict() for f in flags], ensure_ascii=False, indent=2))
    else:
        print(format_plain(text, flags))
    return EXIT_OK
