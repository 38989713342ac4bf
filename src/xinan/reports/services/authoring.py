"""Writing a case report: create, save, import, decide on privacy flags, mark ready, export.

Each service changes one thing in one transaction and writes its audit entry there. Audit
entries hold counts, kinds and field names, never the report's text.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.reports.enums import FlagDecisionKind, ReportAction, ReportStatus
from xinan.reports.models import CaseReport, FlagDecision
from xinan.reports.models.report import SECTION_FIELDS
from xinan.reports.services.documents import (
    TEXT_FIELDS,
    Analysis,
    apply_to_all,
    build_report,
    clean_text,
    field_label,
    fingerprint,
    texts_of,
)
from xinan.reports.services.errors import ReportError
from xinan_deid import Kind
from xinan_deid.types import PSEUDONYM_KINDS
from xinan_reportformat import AUTHOR_SECTIONS, DocumentReadError, extract_text, parse_text, to_docx, to_pdf
from xinan_reportformat.lines import ARTISTIC_WORDS
from xinan_reportformat.reading import DEFAULT_MAX_BYTES, MSG_EMPTY, MSG_TOO_LARGE

MAX_REPLACEMENT_LENGTH = 40
# Characters of text an import takes, from a file as from the paste box (ImportForm.text).
MAX_IMPORT_CHARS = 100_000
MIN_REASON_LENGTH = 2
EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def dismissed_fingerprints(report: CaseReport) -> frozenset[str]:
    return frozenset(
        report.flag_decisions.filter(decision=FlagDecisionKind.DISMISSED).values_list("fingerprint", flat=True)
    )


def analyse(report: CaseReport, texts: dict[str, str] | None = None, footnote: bool | None = None) -> Analysis:
    """The editor's view of a report: stored texts, or the texts being typed."""
    return Analysis(
        texts if texts is not None else texts_of(report),
        footnote=report.has_artistic_footnote if footnote is None else footnote,
        dismissed=dismissed_fingerprints(report),
    )


def _locked(report: CaseReport) -> CaseReport:
    return CaseReport.objects.select_for_update().get(pk=report.pk)


def _store_texts(locked: CaseReport, texts: dict[str, str], footnote: bool) -> list[str]:
    """Write the texts, recount, and send a ready report back to draft when its text changed."""
    changed = [field for field in TEXT_FIELDS if (getattr(locked, field) or "") != texts[field]]
    if footnote != locked.has_artistic_footnote:
        changed.append("has_artistic_footnote")
    for field in TEXT_FIELDS:
        setattr(locked, field, texts[field])
    locked.has_artistic_footnote = footnote
    locked.char_count = Analysis(texts, footnote=footnote).char_count
    fields = [*TEXT_FIELDS, "has_artistic_footnote", "char_count", "updated_at"]
    if changed and locked.status == ReportStatus.READY:
        locked.status, locked.ready_at, locked.deidentified_at = ReportStatus.DRAFT, None, None
        fields += ["status", "ready_at", "deidentified_at"]
    locked.save(update_fields=fields)
    return changed


def create_report(*, author, school, request=None) -> CaseReport:
    with transaction.atomic():
        report = CaseReport.objects.create(author=author, school=school)
        record(ReportAction.CREATE, actor=author, organisation=school, obj=report, request=request)
    return report


def save_report(report: CaseReport, *, texts: dict[str, str], footnote: bool, by, request=None) -> list[str]:
    """Save what the author typed; return the names of the fields that changed."""
    texts = {field: clean_text(texts.get(field, "")) for field in TEXT_FIELDS}
    with transaction.atomic():
        locked = _locked(report)
        was = locked.status
        changed = _store_texts(locked, texts, footnote)
        if changed:
            record(
                ReportAction.UPDATE,
                actor=by,
                organisation=locked.school,
                obj=locked,
                request=request,
                before={"status": was},
                after={"fields": changed, "char_count": locked.char_count, "status": locked.status},
            )
    report.refresh_from_db()
    return changed


# --- Import --------------------------------------------------------------------------------
def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing an oversized one before reading it."""
    if upload is None or upload.size == 0:
        raise DocumentReadError(MSG_EMPTY)
    if upload.size > DEFAULT_MAX_BYTES:
        raise DocumentReadError(MSG_TOO_LARGE.format(size=upload.size / 1048576, limit=DEFAULT_MAX_BYTES / 1048576))
    return upload.read(DEFAULT_MAX_BYTES + 1)


def texts_from_document(parsed) -> tuple[dict[str, str], bool]:
    """Title, subtitle and the five sections of a parsed document, and its footnote flag.

    Nothing of the document is dropped: a repeated section is appended to the first, a
    section outside the template and text before the first heading go into the section
    before them (or the first), with their heading.
    """
    texts = {field: "" for field in TEXT_FIELDS}
    texts["title"] = parsed.title
    if parsed.subtitle:
        texts["subtitle"] = (parsed.subtitle_dash or "——") + parsed.subtitle
    current = SECTION_FIELDS[0]
    pieces: dict[str, list[str]] = {key: [] for key in SECTION_FIELDS}
    if parsed.preamble.strip():
        pieces[current].append(parsed.preamble.strip())
    for section in parsed.sections:
        if section.key in AUTHOR_SECTIONS:
            current = str(section.key)
            pieces[current].append(section.text)
        elif section.text.strip() or section.key != "commentary":
            pieces[current].append(f"{section.heading}\n{section.text}".strip())
    for key in SECTION_FIELDS:
        texts[key] = clean_text("\n".join(piece for piece in pieces[key] if piece))
    footnote = any(ARTISTIC_WORDS in note.text for note in parsed.footnotes)
    return texts, footnote


def import_into_report(report: CaseReport, *, data: bytes | None = None, text: str | None = None, by, request=None):
    """Fill the report from a .docx, a text PDF or pasted text; ``DocumentReadError`` leaves it as it was."""
    if data is not None:
        try:
            extracted = extract_text(data)
            if len(extracted) > MAX_IMPORT_CHARS:  # as for pasted text, before parsing and de-identification
                raise DocumentReadError(
                    _("文件中的文字过长（%(n)s 个字符，上限 %(limit)s），请检查是否选错了文件。")
                    % {"n": len(extracted), "limit": MAX_IMPORT_CHARS},
                    code="text.too_long",
                )
        except DocumentReadError as error:
            record_refused_upload("reports.import", error.code, actor=by, obj=report, request=request, size=len(data))
            raise
        parsed = parse_text(extracted)
        source = "file"
    else:
        if not (text or "").strip():
            raise DocumentReadError(_("没有粘贴任何文字。请把报告全文粘贴到文本框中再导入。"))
        parsed = parse_text(text)
        source = "text"
    texts, footnote = texts_from_document(parsed)
    with transaction.atomic():
        locked = _locked(report)
        changed = _store_texts(locked, texts, footnote)
        record(
            ReportAction.IMPORT,
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            after={"source": source, "fields": changed, "char_count": locked.char_count},
        )
    report.refresh_from_db()
    return report


# --- Privacy flags -------------------------------------------------------------------------
def decide_flag(
    report: CaseReport,
    *,
    kind: str,
    text: str,
    decision: str,
    replacement: str = "",
    reason: str = "",
    by,
    request=None,
) -> FlagDecision:
    """Apply a flag's suggestion, apply the author's own replacement, or keep the text with a reason.

    The flag is found again on the stored text (never trusted from the form), and a
    replacement goes to every occurrence of the text in the report.
    """
    decision = FlagDecisionKind(decision)
    with transaction.atomic():
        locked = _locked(report)
        analysis = analyse(locked)
        placed = analysis.find(kind, text)
        if placed is None:
            raise ReportError(_("这条隐私提示已不存在（文字可能已经修改），请查看最新的检查结果。"))
        base = {
            "report": locked,
            "kind": placed.kind,
            "severity": placed.severity,
            "fingerprint": fingerprint(placed.kind, placed.text),
            "by": by,
        }
        if decision == FlagDecisionKind.DISMISSED:
            reason = " ".join(reason.split())
            if len(reason) < MIN_REASON_LENGTH:
                raise ReportError(_("保留这处文字时，请写明理由（例如“模板原文中的称呼，不指向具体的人”）。"))
            row = FlagDecision.objects.create(**base, decision=decision, kept_text=placed.text, reason=reason[:300])
            action, after = ReportAction.FLAG_DISMISS, {"kind": placed.kind, "severity": placed.severity}
        else:
            if decision == FlagDecisionKind.EDITED:
                replacement = " ".join(replacement.split())
                if not replacement:
                    raise ReportError(_("请填写替换后的文字。"))
                if len(replacement) > MAX_REPLACEMENT_LENGTH:
                    raise ReportError(_("替换文字太长（最多 %(n)s 个字）。") % {"n": MAX_REPLACEMENT_LENGTH})
                if replacement == placed.text:
                    raise ReportError(_("替换后的文字与原文相同。如要保留原文，请选择“保留”并写明理由。"))
            else:
                replacement = placed.flag.replacement
            pseudonym = placed.flag.kind in PSEUDONYM_KINDS and (
                decision == FlagDecisionKind.EDITED or placed.flag.marks_pseudonym
            )
            texts, count = apply_to_all(analysis.texts, placed.text, replacement, pseudonym=pseudonym)
            _store_texts(locked, texts, locked.has_artistic_footnote)
            row = FlagDecision.objects.create(**base, decision=decision, replacement=replacement, occurrences=count)
            action = ReportAction.FLAG_APPLY
            after = {"kind": placed.kind, "severity": placed.severity, "decision": decision, "occurrences": count}
        record(action, actor=by, organisation=locked.school, obj=locked, request=request, after=after)
    report.refresh_from_db()
    return row


# --- Ready ---------------------------------------------------------------------------------
def reasons_not_ready(analysis: Analysis) -> list[str]:
    """Why a report cannot be marked ready, in Chinese: format errors, then unresolved flags."""
    reasons = [f"{placed.place}：{placed.problem.message}" for placed in analysis.errors]
    seen: set[tuple[str, str]] = set()
    for flag in analysis.blocking_flags:
        if (flag.kind, flag.text) in seen:
            continue
        seen.add((flag.kind, flag.text))
        reasons.append(
            _("%(place)s：“%(text)s”可能暴露当事人身份（%(kind)s，%(severity)s风险），请替换或写明理由后保留。")
            % {
                "place": field_label(flag.field),
                "text": flag.text,
                "kind": Kind(flag.kind).label,
                "severity": flag.flag.severity.label,
            }
        )
    return reasons


def mark_ready(report: CaseReport, *, by, request=None) -> CaseReport:
    """Mark the report ready, after checking again on the server: format and privacy."""
    with transaction.atomic():
        locked = _locked(report)
        analysis = analyse(locked)
        reasons = reasons_not_ready(analysis)
        if reasons:
            record(
                ReportAction.READY_REFUSED,
                actor=by,
                organisation=locked.school,
                obj=locked,
                request=request,
                after={"format_errors": len(analysis.errors), "open_flags": len(analysis.blocking_flags)},
            )
        else:
            now = timezone.now()
            locked.status, locked.ready_at, locked.deidentified_at = ReportStatus.READY, now, now
            locked.char_count = analysis.char_count
            locked.save(update_fields=["status", "ready_at", "deidentified_at", "char_count", "updated_at"])
            record(
                ReportAction.MARK_READY,
                actor=by,
                organisation=locked.school,
                obj=locked,
                request=request,
                after={"status": ReportStatus.READY, "char_count": locked.char_count, "deidentified": True},
            )
    if reasons:
        # The refusal's audit entry is committed; the report itself is unchanged.
        raise ReportError(_("报告还不能定稿，请先处理以下问题："), reasons=reasons)
    report.refresh_from_db()
    return report


# --- Export --------------------------------------------------------------------------------
def export_report(report: CaseReport, *, fmt: str, by, request=None) -> tuple[bytes, str, str]:
    """The report as .docx or PDF in the template's layout: (content, file name, content type).

    A draft's PDF carries a "草稿" watermark, so a draft is never mistaken for the final text.
    """
    if fmt not in EXPORT_TYPES:
        raise ReportError(_("不支持的导出格式。"))
    document = build_report(texts_of(report), footnote=report.has_artistic_footnote)
    if fmt == "docx":
        content = to_docx(document)
    else:
        content = to_pdf(document, watermark=None if report.is_ready else _("草稿"))
    with transaction.atomic():
        record(
            ReportAction.EXPORT,
            actor=by,
            organisation=report.school,
            obj=report,
            request=request,
            after={"format": fmt, "status": report.status},
        )
    return content, _("案例报告%(pk)s.%(ext)s") % {"pk": report.pk, "ext": fmt}, EXPORT_TYPES[fmt]
