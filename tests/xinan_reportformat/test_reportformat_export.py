"""Export to Word and PDF, and reading the exports back."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from pdfminer.high_level import extract_text as pdfminer_extract_text
from PIL import Image
from pypdf import PdfReader

from xinan_reportformat import parse_document, to_docx, to_pdf
from xinan_reportformat.export import chinese_numeral
from xinan_reportformat.pdf import BoldLines, PdfBuilder, cjk_styles

WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return WHITESPACE.sub("", text)


def section_texts(report) -> list[tuple[str, str]]:
    return [(s.key, squeeze(s.text)) for s in report.sections]


@pytest.fixture(scope="module")
def sample_pdf(sample_report) -> bytes:
    return to_pdf(sample_report)


@pytest.fixture(scope="module")
def sample_docx(sample_report) -> bytes:
    return to_docx(sample_report)


def test_to_docx_round_trip_keeps_the_text(sample_report, sample_docx):
    # Act
    again = parse_document(sample_docx)

    # Assert
    assert again.title == sample_report.title
    assert again.subtitle == sample_report.subtitle
    assert again.subtitle_dash == "——"
    assert [(s.key, s.heading, s.text) for s in again.sections] == [
        (s.key, s.heading, s.text) for s in sample_report.sections
    ]
    assert [f.text for f in again.footnotes] == [f.text for f in sample_report.footnotes]


def test_to_docx_sets_east_asian_font(sample_docx):
    # Act
    document_xml = zipfile.ZipFile(io.BytesIO(sample_docx)).read("word/document.xml").decode()
    styles_xml = zipfile.ZipFile(io.BytesIO(sample_docx)).read("word/styles.xml").decode()

    # Assert
    assert 'w:eastAsia="宋体"' in document_xml
    assert 'w:eastAsia="黑体"' in document_xml
    assert 'w:eastAsia="宋体"' in styles_xml


def test_to_docx_layout_follows_the_template(sample_docx):
    # Arrange
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # Act
    paragraphs = [p for p in docx.Document(io.BytesIO(sample_docx)).paragraphs if p.text.strip()]

    # Assert
    title, subtitle = paragraphs[0], paragraphs[1]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in title.runs)
    assert subtitle.text == "——一例由抑郁症引发自杀危机的干预报告¹"
    headings = [p.text for p in paragraphs if re.match(r"^[一二三四五六]、", p.text)]
    assert headings == [
        "一、当事人基本信息",
        "二、危机的发生",
        "三、干预过程",
        "四、干预结果",
        "五、经验分享",
        "六、专家点评",
    ]
    assert "艺术加工" in paragraphs[-1].text


def test_to_pdf_round_trip_keeps_the_text(sample_report, sample_pdf):
    # Act
    again = parse_document(sample_pdf)

    # Assert
    assert again.title == sample_report.title
    assert again.subtitle == sample_report.subtitle
    assert section_texts(again) == section_texts(sample_report)
    assert [squeeze(f.text) for f in again.footnotes] == [squeeze(f.text) for f in sample_report.footnotes]


def test_to_pdf_text_is_extractable_chinese(sample_pdf):
    # Act
    text = pdfminer_extract_text(io.BytesIO(sample_pdf))

    # Assert
    assert "多方协同 化险为夷" in text
    assert "一、当事人基本信息" in text
    assert "小张(化名)" in text


def test_to_pdf_font_is_embedded(sample_pdf):
    # Arrange
    reader = PdfReader(io.BytesIO(sample_pdf))

    # Act
    descriptors = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptors.append(descriptor.get_object())

    # Assert
    assert descriptors
    assert all("/FontFile2" in d for d in descriptors)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_to_pdf_first_page_renders_visible_text(sample_pdf, tmp_path):
    # Arrange
    (tmp_path / "report.pdf").write_bytes(sample_pdf)

    # Act
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    dark = sum(image.histogram()[:128])

    # Assert: a blank A4 page has no dark pixels; a page of text has thousands.
    assert dark > 2000


def test_to_pdf_watermark_is_on_every_page_as_text(sample_report):
    # Arrange
    watermark = "评审专用 2026-11-23"

    # Act
    pdf = to_pdf(sample_report, watermark=watermark)

    # Assert
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for number in range(len(reader.pages)):
        page_text = pdfminer_extract_text(io.BytesIO(pdf), page_numbers=[number])
        assert watermark in page_text


def test_to_pdf_watermark_does_not_disturb_reading(sample_report):
    # Act
    again = parse_document(to_pdf(sample_report, watermark="评审专用 2026-11-23"))

    # Assert
    assert section_texts(again) == section_texts(sample_report)


def test_to_pdf_short_report_round_trip(short_report):
    # Act
    again = parse_document(to_pdf(short_report))

    # Assert
    assert section_texts(again) == section_texts(short_report)


def test_pdf_builder_is_reusable_for_other_documents():
    # Arrange
    from reportlab.platypus import Paragraph

    styles = cjk_styles()
    story = [BoldLines("汇总表", 16), Paragraph("某省推荐案例汇总", styles["body"])]

    # Act
    pdf = PdfBuilder(title="汇总表", watermark="省级管理员").build(story)

    # Assert
    text = pdfminer_extract_text(io.BytesIO(pdf))
    assert "汇总表" in text
    assert "某省推荐案例汇总" in text
    assert "— 1 —" in text


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "一"), (6, "六"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三")]
)
def test_chinese_numeral_examples(number, expected):
    # Act
    result = chinese_numeral(number)

    # Assert
    assert result == expected


def test_to_pdf_very_long_title_flows_over_pages():
    # Arrange
    from xinan_reportformat import parse_text

    report = parse_text("很长的标题" * 2000 + "\n——一例由失恋引发的自伤危机的干预报告\n一、基本信息\n内容。")

    # Act
    pdf = to_pdf(report)

    # Assert
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
