"""Recording the crisis team's education, training and drill activities."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.training.enums import ActivityKind, Audience
from xinan.training.models import TrainingActivity
from xinan.training.services.errors import TrainingError

MAX_PEOPLE = 100_000  # more than any one school holds: a typo, not an activity
EARLIEST = dt.date(2000, 1, 1)


def add_activity(
    school,
    *,
    by,
    held_on: dt.date,
    audience: str,
    kind: str,
    topic: str,
    attendance: int,
    target_size: int | None = None,
    materials: str = "",
    request=None,
) -> TrainingActivity:
    topic = topic.strip()
    if audience not in Audience.values or kind not in ActivityKind.values:
        raise TrainingError(_("请选择活动对象和形式。"))
    if not topic:
        raise TrainingError(_("请填写活动主题。"))
    if held_on > timezone.localdate():
        raise TrainingError(_("只能记录已经开展的活动，日期不能晚于今天。"))
    if held_on < EARLIEST:
        raise TrainingError(_("活动日期有误。"))
    if not 0 < attendance <= MAX_PEOPLE:
        raise TrainingError(_("参加人数应在1至%(max)s之间。") % {"max": MAX_PEOPLE})
    if target_size is not None and not 0 < target_size <= MAX_PEOPLE:
        raise TrainingError(_("目标群体人数应在1至%(max)s之间。") % {"max": MAX_PEOPLE})
    with transaction.atomic():
        activity = TrainingActivity.objects.create(
            school=school,
            held_on=held_on,
            audience=audience,
            kind=kind,
            topic=topic,
            attendance=attendance,
            target_size=target_size,
            materials=materials.strip(),
            recorded_by=by,
        )
        record(
            "xinan.training.add",
            actor=by,
            organisation=school,
            obj=activity,
            request=request,
            after={"audience": audience, "kind": kind, "attendance": attendance, "held_on": held_on.isoformat()},
        )
    return activity
