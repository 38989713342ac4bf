"""The same report made into files by the programs filers use, for the Word-versus-PDF comparison.

Each producer turns a text (one paragraph a line) into the bytes of a file; results are cached
for the session. Producers:

- ``docx``: python-docx, one paragraph a line (what Word saves).
- ``pdf-cid``: reportlab with the built-in CID font STSong-Light (no font embedded, no ToUnicode
  map: the reader decodes through the Adobe-GB1 character collection).
- ``pdf-truetype``: reportlab with the embedded TrueType font the platform prints with.
- ``pdf-radicals``: that PDF with its ToUnicode map rewritten the way Chromium writes it with a
  font whose glyphs serve both a radical and a character: 一 大 人 日 言 … read back as the Kangxi
  radicals ⼀ ⼤ ⼈ ⽇ ⾔ and 见 门 as the CJK radicals ⻅ ⻔. The glyphs on the page are unchanged.
- ``pdf-chromium``: the text as an HTML page printed to PDF by headless Chromium (needs the
  chromium binary and a Chinese font; ``chromium_pdf`` says when it cannot run).
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

DATA = Path(__file__).parent / "xinan_reportformat" / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"

# Character → the radical Chromium's ToUnicode map gives for its glyph (Kangxi radicals and CJK
# radicals supplement), as seen in PDFs printed from Chromium with Noto Sans CJK.
RADICAL_OF = {
    "一": "\u2f00",
    "人": "\u2f08",
    "大": "\u2f24",
    "日": "\u2f47",
    "月": "\u2f49",
    "言": "\u2f94",
    "子": "\u2f26",
    "心": "\u2f3c",
    "女": "\u2f25",
    "生": "\u2f63",
    "见": "\u2ec5",
    "门": "\u2ed4",
}


def official_sample() -> str:
    return (DATA / "official_sample.txt").read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@functools.cache
def docx_of(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in _lines(text):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _reportlab_pdf(text: str, font: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    document.build([Paragraph(xml_escape(line), style) for line in _lines(text)])
    return buffer.getvalue()


@functools.cache
def cid_pdf_of(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return _reportlab_pdf(text, "STSong-Light")


@functools.cache
def truetype_pdf_of(text: str) -> bytes:
    from xinan_reportformat.pdf import register_cjk_font

    return _reportlab_pdf(text, register_cjk_font())


@functools.cache
def radicals_pdf_of(text: str) -> bytes:
    """The TrueType PDF whose ToUnicode maps give radicals for the characters of RADICAL_OF."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(truetype_pdf_of(text))))
    replaced = 0
    for page in writer.pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            font = fonts[name].get_object()
            if "/ToUnicode" not in font:
                continue
            stream = font["/ToUnicode"].get_object()
            cmap = stream.get_data().decode("latin-1")
            for char, radical in RADICAL_OF.items():
                target = f"<{ord(char):04X}>"
                replaced += cmap.count(target)
                cmap = re.sub(target, f"<{ord(radical):04X}>", cmap, flags=re.IGNORECASE)
            stream.set_data(cmap.encode("latin-1"))
            font[NameObject("/ToUnicode")] = stream.indirect_reference or stream
    assert replaced, "no ToUnicode entry of the characters to replace: the producer changed"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def chromium_missing_reason() -> str | None:
    """Why Chromium cannot print here (None when it can)."""
    if not os.path.exists(CHROMIUM):
        return "chromium is not installed"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    if not fonts.strip():
        return "no Chinese font for Chromium (fc-list :lang=zh is empty)"
    return None


@functools.cache
def chromium_pdf_of(text: str) -> bytes:
    body = "".join(f"<p>{html_escape(line)}</p>" for line in _lines(text))
    page = f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "report.html", Path(folder) / "out.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--print-to-pdf={target}",
                "--no-pdf-header-footer",
                source.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        return target.read_bytes()


PDF_PRODUCERS = {
    "pdf-cid": cid_pdf_of,
    "pdf-truetype": truetype_pdf_of,
    "pdf-radicals": radicals_pdf_of,
    "pdf-chromium": chromium_pdf_of,
}
