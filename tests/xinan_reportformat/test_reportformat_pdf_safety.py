"""Active content in a PDF, found by parsing its objects: every attack refused with its reason,
every ordinary producer's PDF accepted, and the work bounded."""

import io
import re

import pytest
from pypdf import PdfReader, PdfWriter
from tests.document_fixtures import (
    PDF_ATTACKS,
    chromium_pdf_of,
    cid_pdf_of,
    flate_stream,
    handmade_pdf,
    official_sample,
    page_objects,
    require_chromium,
    truetype_pdf_of,
    truetype_pdf_with_js_bytes_in_a_stream,
)

from xinan_reportformat import DocumentReadError, extract_text, parse_text, to_pdf
from xinan_reportformat.pdf_reading import MAX_CONTENT_BYTES
from xinan_reportformat.pdf_safety import PdfLimits, inspect_pdf

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("attack", list(PDF_ATTACKS))
def test_inspect_pdf_refuses_each_attack_with_its_reason(attack):
    # Arrange
    data, code = PDF_ATTACKS[attack]

    # Act
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(data)

    # Assert
    assert caught.value.code == code
    assert CHINESE.search(caught.value.message)


@pytest.mark.parametrize("attack", ["open-action-between-stream-comments", "escaped-name", "names-tree-javascript"])
def test_extract_text_refuses_scripted_pdf_as_javascript(attack):
    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text(PDF_ATTACKS[attack][0])

    # Assert
    assert "JavaScript" in caught.value.message


@pytest.mark.parametrize(
    "producer",
    [
        lambda: truetype_pdf_of(official_sample()),
        lambda: cid_pdf_of(official_sample()),
        lambda: to_pdf(parse_text(official_sample())),
        truetype_pdf_with_js_bytes_in_a_stream,
    ],
    ids=["reportlab-truetype", "reportlab-cid", "platform-export", "js-bytes-in-compressed-font"],
)
def test_clean_pdfs_pass_the_check_and_their_text_is_read(producer):
    # Arrange
    data = producer()

    # Act
    inspection = inspect_pdf(data)
    text = extract_text(data)

    # Assert
    assert inspection.pages >= 1
    assert "干预" in text


def test_chromium_printed_pdf_passes():
    # Arrange
    require_chromium()
    data = chromium_pdf_of(official_sample())

    # Act
    inspection = inspect_pdf(data)

    # Assert
    assert inspection.pages >= 1


@pytest.mark.parametrize(
    ("catalog", "page"),
    [
        (b"/OpenAction [3 0 R /Fit]", b""),  # where to open is not an action
        (b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>", b""),
        (b"", b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://www.moe.gov.cn/) >> >>]"),
        (b"/OpenAction 6 0 R", b""),  # a loop of harmless actions ends at the first repeat
    ],
    ids=["destination", "goto-on-open", "clicked-web-link", "harmless-next-loop"],
)
def test_inspect_pdf_allows_navigation_and_clicked_links(catalog, page):
    # Arrange
    loop = {6: b"<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>", 7: b"<< /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>"}
    data = handmade_pdf(page_objects(catalog, page) | loop)

    # Act
    inspection = inspect_pdf(data)

    # Assert
    assert inspection.pages == 1


def test_owner_password_pdf_is_inspected_and_user_password_pdf_refused():
    # Arrange
    def encrypted(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(truetype_pdf_of(official_sample()))))
        writer.encrypt(user_password=user, owner_password="owner")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    # Act
    restricted = inspect_pdf(encrypted(""))
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(encrypted("secret"))

    # Assert
    assert restricted.encrypted
    assert caught.value.code == "pdf.encrypted"


def test_inspect_pdf_decoded_size_is_bounded_before_use():
    # Arrange: many streams each under the per-stream limit, together over the budget
    small = PdfLimits(max_stream_bytes=1024 * 1024, max_decoded_bytes=4 * 1024 * 1024)
    streams = {number: flate_stream(b"0" * (900 * 1024)) for number in range(6, 12)}
    data = handmade_pdf(page_objects() | streams)

    # Act
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(data, limits=small)

    # Assert
    assert caught.value.code == "pdf.too_complex"
    assert inspect_pdf(data).pages == 1  # within the default budget the same file passes


def test_inspect_pdf_object_count_is_bounded():
    # Arrange
    data = handmade_pdf(page_objects() | {n: b"<< /N %d >>" % n for n in range(6, 200)})

    # Act
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(data, limits=PdfLimits(max_objects=100))

    # Assert
    assert caught.value.code == "pdf.too_complex"


def test_extract_text_form_drawn_thousands_of_times_is_refused():
    # Arrange: one small form, drawn 20,000 times by a 200 KB page (an amplification of the
    # text layout's work that no decoded-size limit sees); the form is mostly a comment, so
    # that reaching the limit is quick in the test
    form_content = b"% " + b"x" * 1000 + b"\nBT /F1 12 Tf 72 712 Td (x) Tj ET"
    objects = page_objects()
    objects[3] = objects[3].replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /X0 6 0 R >>")
    page = b"q /X0 Do Q\n" * 20_000
    objects[4] = b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream"
    objects[6] = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>\n"
        % len(form_content)
        + b"stream\n"
        + form_content
        + b"\nendstream"
    )
    data = handmade_pdf(objects)
    assert 20_000 * len(form_content) > MAX_CONTENT_BYTES

    # Act
    with pytest.raises(DocumentReadError) as caught:
        extract_text(data)

    # Assert
    assert caught.value.code == "pdf.too_complex"


@pytest.mark.parametrize(
    "body",
    [b"<" + b"ab" * 1_500_000 + b">", b"(" + b"a" * 3_000_000 + b")", b"[" + b"<< /A 1 >> " * 400_000 + b"]"],
    ids=["hex-string", "literal-string", "array-of-dictionaries"],
)
def test_inspect_pdf_parsing_work_is_bounded(body):
    # Arrange: objects pypdf's tokenizer reads a byte at a time (3 MB would cost seconds each)
    data = handmade_pdf(page_objects() | {6: body})

    # Act
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(data, limits=PdfLimits(max_reads=200_000))

    # Assert
    assert caught.value.code == "pdf.too_complex"


def test_inspect_pdf_object_count_is_bounded_before_a_damaged_file_is_rebuilt():
    # Arrange: no cross-reference table, so pypdf would read every object to rebuild one
    body = b"".join(b"%d 0 obj\n<<>>\nendobj\n" % number for number in range(1, 2_000))

    # Act
    with pytest.raises(DocumentReadError) as caught:
        inspect_pdf(b"%PDF-1.7\n" + body, limits=PdfLimits(max_objects=500))

    # Assert
    assert caught.value.code == "pdf.too_complex"
