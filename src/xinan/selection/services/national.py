"""National selection: typical cases are selected from the provinces' recommendations and
receive the expert commentary (专家点评) published with them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Submission
from xinan.campaigns.services.campaigns import ensure_school_admitted
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.filing import move_submission
from xinan.selection.models import Commentary
from xinan.selection.services.errors import SelectionError

COMMENTARY_MIN_CHARS = 20
COMMENTARY_MAX_CHARS = 3000


def _move(submission: Submission, to, allowed_from, *, by, reason: str, request, action: str) -> Submission:
    try:
        return move_submission(submission, to, allowed_from, by=by, reason=reason, request=request, action=action)
    except FilingError as exc:
        raise SelectionError(exc.message) from exc


def select_submission(submission: Submission, *, by, request=None) -> Submission:
    try:
        ensure_school_admitted(submission.campaign, submission.school)
    except FilingError as exc:
        raise SelectionError(exc.message) from exc
    return _move(
        submission,
        SubmissionState.SELECTED,
        {SubmissionState.RECOMMENDED},
        by=by,
        reason="",
        request=request,
        action="select",
    )


def unselect_submission(submission: Submission, *, by, reason: str, request=None) -> Submission:
    if len(reason.strip()) < 4:
        raise SelectionError(_("取消入选需要写明原因。"))
    return _move(
        submission,
        SubmissionState.RECOMMENDED,
        {SubmissionState.SELECTED},
        by=by,
        reason=reason.strip(),
        request=request,
        action="unselect",
    )


def write_commentary(submission: Submission, *, text: str, by, request=None) -> Commentary:
    """Write or rewrite the commentary of a selected case; the latest author and time are kept."""
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if len(text) < COMMENTARY_MIN_CHARS:
        raise SelectionError(_("专家点评至少 %(n)s 个字。") % {"n": COMMENTARY_MIN_CHARS})
    if len(text) > COMMENTARY_MAX_CHARS:
        raise SelectionError(_("专家点评最多 %(n)s 个字。") % {"n": COMMENTARY_MAX_CHARS})
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state != SubmissionState.SELECTED:
            raise SelectionError(_("只有入选案例才能撰写专家点评。"))
        before = Commentary.objects.filter(submission=locked).first()
        commentary, _created = Commentary.objects.update_or_create(
            submission=locked, defaults={"text": text, "author": by, "written_at": timezone.now()}
        )
        record(
            "xinan.selection.commentary.write",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            before={"chars": len(before.text)} if before else None,
            after={"chars": len(text)},
        )
    return commentary
