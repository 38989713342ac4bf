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


def require_chromium() -> None:
    """Skip the calling test when Chromium cannot print here; in CI, fail instead."""
    import pytest

    if reason := chromium_missing_reason():
        if IN_CI:
            pytest.fail(f"Chromium printing is required in CI: {reason}")
        pytest.skip(f"SKIPPED-CHROMIUM: {reason}")


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


# --- PDFs written by hand, byte for byte, for the active-content checks ---------------------------
def handmade_pdf(
    objects: dict[int, bytes], *, root: int = 1, header: bytes = b"%PDF-1.7\n", repair: bool = False
) -> bytes:
    """A PDF whose objects are the given bodies (``<< … >>`` or a stream), with a correct
    cross-reference table and trailer, so that a reader opens it as it is written; with
    ``repair`` the table's offset is wrong, and readers rebuild it by scanning the objects
    (which is how an object inside an object stream is found without a cross-reference stream)."""
    out = bytearray(header)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        3 if repair else xref,
    )
    return bytes(out)


def page_objects(catalog_extra: bytes = b"", page_extra: bytes = b"", *, text: bytes = b"Hello") -> dict[int, bytes]:
    """Catalog 1, pages 2, one page 3 with a content stream 4 and a font 5; extras spliced in."""
    content = b"BT /F1 12 Tf 72 712 Td (" + text + b") Tj ET"
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }


def flate_stream(data: bytes, extra: bytes = b"") -> bytes:
    import zlib

    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _with_objects(extra: dict[int, bytes], catalog: bytes = b"", page: bytes = b"", *, repair: bool = False) -> bytes:
    return handmade_pdf(page_objects(catalog, page) | extra, repair=repair)


# Each attack that must be refused, with the reason code the checker gives.
PDF_ATTACKS: dict[str, tuple[bytes, str]] = {
    # The catalog's open action between comment lines that a byte scanner took for a stream.
    "open-action-between-stream-comments": (
        _with_objects({}, catalog=b"\n% stream\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n% endstream\n"),
        "pdf.javascript",
    ),
    "escaped-name": (
        _with_objects({}, catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "pdf.javascript",
    ),
    "escaped-name-without-js-key": (
        _with_objects({}, catalog=b"/OpenAction << /S /J#61va#53cript >>"),
        "pdf.javascript",
    ),
    "annotation-javascript": (
        _with_objects(
            {6: b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A 7 0 R >>", 7: b"<< /S /JavaScript /JS (x) >>"},
            page=b"/Annots [6 0 R]",
        ),
        "pdf.javascript",
    ),
    "names-tree-javascript": (
        _with_objects(
            {6: b"<< /Names [(start) 7 0 R] >>", 7: b"<< /S /JavaScript /JS (app.alert(2)) >>"},
            catalog=b"/Names << /JavaScript 6 0 R >>",
        ),
        "pdf.javascript",
    ),
    "next-chain-javascript": (
        _with_objects(
            {
                6: b"<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>",
                7: b"<< /S /GoTo /D [3 0 R /Fit] /Next [8 0 R] >>",
                8: b"<< /S /JavaScript /JS (app.alert(3)) >>",
            },
            catalog=b"/OpenAction 6 0 R",
        ),
        "pdf.javascript",
    ),
    "page-additional-action": (_with_objects({}, page=b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"), "pdf.launch"),
    "launch-in-link": (
        _with_objects({}, page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (x.exe) >> >>]"),
        "pdf.launch",
    ),
    "open-action-uri": (
        _with_objects({}, catalog=b"/OpenAction << /S /URI /URI (http://evil.invalid/) >>"),
        "pdf.auto_uri",
    ),
    "remote-goto": (
        _with_objects(
            {},
            page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /GoToR /F (\\\\\\\\host\\\\x.pdf) /D [0 /Fit] >> >>]",
        ),
        "pdf.remote_goto",
    ),
    "submit-form": (
        _with_objects(
            {6: b"<< /FT /Btn /T (go) /A << /S /SubmitForm /F (http://evil.invalid/) >> >>"},
            catalog=b"/AcroForm << /Fields [6 0 R] >>",
        ),
        "pdf.submit_form",
    ),
    "xfa-form": (
        _with_objects(
            {6: b"<< /Length 7 >>\nstream\n<xdp/>\n\nendstream"}, catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>"
        ),
        "pdf.xfa",
    ),
    "embedded-file": (
        _with_objects(
            {
                6: b"<< /Names [(a.exe) 7 0 R] >>",
                7: b"<< /Type /Filespec /F (a.exe) /EF << /F 8 0 R >> >>",
                8: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            },
            catalog=b"/Names << /EmbeddedFiles 6 0 R >>",
        ),
        "pdf.embedded_file",
    ),
    "unreachable-launch": (_with_objects({6: b"<< /Type /Action /S /Launch /F (cmd.exe) >>"}), "pdf.launch"),
    "javascript-in-object-stream": (
        _with_objects(
            {6: flate_stream(b"7 0 << /S /JavaScript /JS (app.alert(4)) >>", b"/Type /ObjStm /N 1 /First 4 ")},
            catalog=b"/OpenAction 7 0 R",
            repair=True,
        ),
        "pdf.javascript",
    ),
    "flate-bomb": (_with_objects({6: flate_stream(b"0" * (80 * 1024 * 1024))}), "pdf.too_complex"),
    "deep-nesting": (_with_objects({6: b"[" * 3000 + b"]" * 3000}), "pdf.too_complex"),
    "endless-next-chain": (
        _with_objects(
            {n: b"<< /S /GoTo /D [3 0 R /Fit] /Next %d 0 R >>" % (n + 1) for n in range(6, 2606)}
            | {2606: b"<< /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>"},
            catalog=b"/OpenAction 6 0 R",
        ),
        "pdf.too_complex",
    ),
    "malformed": (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>\nendobj\n",
        "pdf.corrupt",
    ),
}


@functools.cache
def truetype_pdf_with_js_bytes_in_a_stream() -> bytes:
    """A clean reportlab PDF whose compressed font stream holds the bytes ``/JS`` (stored
    uncompressed in the deflate data, as any compressor may happen to write them)."""
    import zlib

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(truetype_pdf_of(official_sample()))))
    for page in writer.pages[:1]:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            descendants = fonts[name].get_object().get("/DescendantFonts")
            font = descendants[0].get_object() if descendants else fonts[name].get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                continue
            stream = descriptor.get_object()["/FontFile2"].get_object()
            # Bytes after the last table are never read by a font parser.
            stream._data = zlib.compress(stream.get_data() + b"\x00/JS (app.alert) /JavaScript\x00", 0)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert re.search(rb"/JS(?![A-Za-z0-9#])", data), "the fixture lost its /JS bytes"
    return data
