"""Reading uploaded bytes: good files, and every kind of bad one.

All hostile fixtures are built here, in memory, from nothing downloaded."""

import io
import re
import time
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from xinan_reportformat import DocumentReadError, extract_text, parse_document, to_docx, to_pdf

CHINESE = re.compile(r"[\u4e00-\u9fff]")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def rewrite_zip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy a zip, replacing or adding entries."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def good_docx(sample_report) -> bytes:
    return to_docx(sample_report)


@pytest.fixture(scope="module")
def good_pdf(sample_report) -> bytes:
    return to_pdf(sample_report)


def build_zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.bin", b"\0" * size)
    return buffer.getvalue()


def build_pdf_with_open_action_js() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_pdf_with_named_js() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(2)")}
        )
    )
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("start"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_pdf_with_escaped_script_name() -> bytes:
    """The name /JavaScript written with a #53 escape: no byte pattern
    finds it, only reading the objects does."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue().replace(b"/JavaScript", b"/Java#53cript")


def build_encrypted_pdf(good_pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good_pdf)))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def bad_inputs(good_docx: bytes, good_pdf: bytes) -> dict[str, bytes]:
    content_types = zipfile.ZipFile(io.BytesIO(good_docx)).read("[Content_Types].xml")
    document_xml = zipfile.ZipFile(io.BytesIO(good_docx)).read("word/document.xml")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + document_xml.split(b"?>", 1)[1]
    )
    return {
        "empty": b"",
        "legacy-doc": OLE2_MAGIC + b"\0" * 2048,
        "encrypted-docx": OLE2_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512,
        "corrupt-zip": b"PK\x03\x04" + b"\x14\x00garbage" * 50,
        "truncated-docx": good_docx[: len(good_docx) // 2],
        "docm-vba": rewrite_zip(good_docx, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "docm-content-type": rewrite_zip(
            good_docx,
            replace={
                "[Content_Types].xml": content_types.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            },
        ),
        "xxe": rewrite_zip(good_docx, replace={"word/document.xml": xxe}),
        "zip-bomb-size": build_zip_bomb(40 * 1024 * 1024),
        "zip-bomb-ratio": build_zip_bomb(8 * 1024 * 1024),
        "not-word-zip": rewrite_zip(build_zip_bomb(10), replace={"word/document.xml": b""}).replace(
            b"word/document.xml", b"xl/workbook.xml.."
        ),
        "image-only-pdf": build_image_only_pdf(),
        "encrypted-pdf": build_encrypted_pdf(good_pdf),
        "js-open-action-pdf": build_pdf_with_open_action_js(),
        "js-names-pdf": build_pdf_with_named_js(),
        "js-escaped-name-pdf": build_pdf_with_escaped_script_name(),
        "corrupt-pdf": good_pdf[:400],
        "rtf": b"{\\rtf1\\ansi hello}",
        "binary": bytes(range(256)) * 8,
        "whitespace-text": "   \n\t\u3000\n".encode(),
    }


BAD_CASES = [
    "empty",
    "legacy-doc",
    "encrypted-docx",
    "corrupt-zip",
    "truncated-docx",
    "docm-vba",
    "docm-content-type",
    "xxe",
    "zip-bomb-size",
    "zip-bomb-ratio",
    "not-word-zip",
    "image-only-pdf",
    "encrypted-pdf",
    "js-open-action-pdf",
    "js-names-pdf",
    "js-escaped-name-pdf",
    "corrupt-pdf",
    "rtf",
    "binary",
    "whitespace-text",
]


@pytest.fixture(scope="module")
def bad(good_docx, good_pdf) -> dict[str, bytes]:
    return bad_inputs(good_docx, good_pdf)


@pytest.mark.parametrize("case", BAD_CASES)
def test_extract_text_bad_input_raises_chinese_read_error(bad, case):
    # Arrange
    data = bad[case]

    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text(data, filename="报告.docx")

    # Assert
    message = caught.value.message
    assert CHINESE.search(message)
    assert "Traceback" not in message
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("empty", "空"),
        ("legacy-doc", ".doc"),
        ("encrypted-docx", "加密"),
        ("corrupt-zip", "损坏"),
        ("docm-vba", "宏"),
        ("docm-content-type", "宏"),
        ("xxe", "实体"),
        ("zip-bomb-size", "压缩"),
        ("zip-bomb-ratio", "压缩"),
        ("image-only-pdf", "扫描件"),
        ("encrypted-pdf", "加密"),
        ("js-open-action-pdf", "JavaScript"),
        ("js-names-pdf", "JavaScript"),
        ("js-escaped-name-pdf", "JavaScript"),
    ],
)
def test_extract_text_bad_input_message_names_the_cause(bad, case, words):
    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text(bad[case])

    # Assert
    assert words in caught.value.message


def test_extract_text_too_large_is_refused_quickly():
    # Arrange
    data = b"a" * (50 * 1024 * 1024)

    # Act
    started = time.perf_counter()
    with pytest.raises(DocumentReadError) as caught:
        extract_text(data)
    elapsed = time.perf_counter() - started

    # Assert
    assert "太大" in caught.value.message
    assert elapsed < 0.5


def test_extract_text_max_bytes_argument_is_honoured(good_docx):
    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text(good_docx, max_bytes=1000)

    # Assert
    assert "上限" in caught.value.message


def test_extract_text_type_is_told_by_content_not_name(good_pdf, good_docx, sample_text):
    # Act
    from_pdf = extract_text(good_pdf, filename="报告.docx")
    from_docx = extract_text(good_docx, filename="报告.pdf")
    from_text = extract_text(sample_text.encode(), filename="报告.docx")

    # Assert
    assert "当事人基本信息" in from_pdf
    assert "当事人基本信息" in from_docx
    assert from_text == sample_text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_extract_text_text_encodings_are_decoded(sample_text, encoding):
    # Act
    text = extract_text(sample_text.encode(encoding))

    # Assert
    assert text == sample_text


def test_parse_document_docx_footnote_part_is_read(good_docx):
    # Arrange: a real Word footnote lives in word/footnotes.xml.
    footnotes_xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>-</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>文中情节已进行艺术加工。</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode()
    data = rewrite_zip(good_docx, add={"word/footnotes.xml": footnotes_xml})

    # Act
    report = parse_document(data)

    # Assert
    assert [f.text for f in report.footnotes][-1] == "文中情节已进行艺术加工。"


@pytest.mark.parametrize("wrap", [bytearray, memoryview])
def test_extract_text_accepts_bytes_like_input(good_docx, wrap):
    # Act
    text = extract_text(wrap(good_docx))

    # Assert
    assert "当事人基本信息" in text


def test_extract_text_not_bytes_is_a_read_error():
    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text("这是字符串，不是字节")

    # Assert
    assert "无法识别" in caught.value.message


def test_package_imports_no_django():
    # Arrange
    import subprocess
    import sys

    code = "import sys, xinan_reportformat, xinan_reportformat.cli; print('django' in sys.modules)"

    # Act
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)

    # Assert
    assert completed.stdout.strip() == b"False"


def test_parse_document_docx_table_text_is_read():
    # Arrange: some authors put the basic information in a table.
    import docx

    document = docx.Document()
    document.add_paragraph("守护生命")
    document.add_paragraph("——一例由失恋引发的自伤危机的干预报告")
    document.add_paragraph("一、当事人基本信息")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "性别"
    table.cell(0, 1).text = "女"
    document.add_paragraph("二、危机的发生")
    document.add_paragraph("某日深夜，室友发现异常。")
    buffer = io.BytesIO()
    document.save(buffer)

    # Act
    report = parse_document(buffer.getvalue())

    # Assert
    assert report.section("basic_info").text == "性别  女"
    assert report.section("occurrence").text == "某日深夜，室友发现异常。"


def build_wrapped_pdf(text: str, *, chars_per_line: int = 34, lines_per_page: int = 38) -> bytes:
    """A PDF laid out by hand, as a word processor would: every paragraph
    wrapped at a fixed width, page numbers at the foot of each page."""
    from xinan_reportformat.pdf import register_cjk_font

    font = register_cjk_font()
    rows = []
    for paragraph in text.splitlines():
        rows += [paragraph[i : i + chars_per_line] for i in range(0, len(paragraph), chars_per_line)] or [""]
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for start in range(0, len(rows), lines_per_page):
        page.setFont(font, 12)
        for offset, row in enumerate(rows[start : start + lines_per_page]):
            page.drawString(72, 770 - offset * 18, row)
        page.drawCentredString(A4[0] / 2, 40, f"- {start // lines_per_page + 1} -")
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_parse_document_word_processor_pdf_is_rejoined(sample_text, sample_report):
    # Arrange
    data = build_wrapped_pdf(sample_text)

    # Act
    report = parse_document(data)

    # Assert
    def squeeze(text):
        return re.sub(r"\s+", "", text)

    assert report.title == sample_report.title
    assert report.subtitle == sample_report.subtitle
    assert [(s.key, squeeze(s.text)) for s in report.sections] == [
        (s.key, squeeze(s.text)) for s in sample_report.sections
    ]
    assert "\n" not in report.section("basic_info").text
