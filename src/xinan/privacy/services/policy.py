"""The privacy pages: the saved text of a deployment, or the default text until one is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.privacy.enums import PolicySlug, PrivacyAction
from xinan.privacy.models import PolicyPage
from xinan.privacy.services.defaults import default_body
from xinan.privacy.services.errors import PrivacyError


def policy_page(slug: str) -> PolicyPage:
    """The page for ``slug``: as saved for this deployment, else an unsaved page with the default text."""
    page = PolicyPage.objects.filter(slug=slug).first()
    if page is None:
        page = PolicyPage(slug=slug, title=str(PolicySlug(slug).label), body=default_body(slug))
    return page


# The bracketed blanks of the default texts (and of pages saved from them), and what fills each.
RETENTION_BLANK = "【××】年"
OFFICER_BLANK = "【姓名、职务】"
PHONE_BLANK = "【××××】"
ADDRESS_BLANK = "【学校心理辅导室地址】"
ANY_BLANK = re.compile(r"【[^】\n]{0,40}】")
AUDIT_PROMISE = "审计日志至少保存三年"
_NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class FilledPage:
    body: str
    missing: list[str]  # labels of the school settings still to fill in (a setup task)


def _years(n: int) -> str:
    return f"{_NUMERALS[n]}年" if 0 < n <= 10 else f"{n} 年"


def audit_retention_label(days: int) -> str:
    """The audit trail's configured retention in words: 1095 days → 三年."""
    return _years(days // 365) if days % 365 == 0 else _("%(days)s 天") % {"days": days}


def fill_blanks(body: str, *, crisis_settings=None, has_school: bool = True) -> FilledPage:
    """The page as a reader should see it: the deployment's retention periods and the reader's
    school's privacy contact in place of the blanks. Nothing bracketed is ever shown: a blank with
    nothing to fill it says who to ask, and the missing settings come back as a setup task."""
    missing: list[str] = []
    not_set = _("（本校尚未填写，请向本校心理辅导室询问）") if has_school else _("（由学生所在学校填写）")

    def value(field: str) -> str:
        text = (getattr(crisis_settings, field, "") or "").strip()
        if not text and has_school:
            label = str(crisis_settings._meta.get_field(field).verbose_name) if crisis_settings else field
            if label not in missing:
                missing.append(label)
        return text or not_set

    body = body.replace(RETENTION_BLANK, _years(settings.RETENTION_CASE_YEARS))
    days = max(settings.AUDIT_RETENTION_DAYS, 180)
    body = body.replace(AUDIT_PROMISE, _("审计日志至少保存%(period)s") % {"period": audit_retention_label(days)})
    for blank, field in (
        (OFFICER_BLANK, "privacy_officer"),
        (PHONE_BLANK, "privacy_phone"),
        (ADDRESS_BLANK, "privacy_address"),
    ):
        if blank in body:
            body = body.replace(blank, value(field))
    body = ANY_BLANK.sub(_("（未填写）"), body)
    return FilledPage(body, missing)


@transaction.atomic
def update_policy_page(slug: str, *, title: str, body: str, actor) -> PolicyPage:
    if slug not in PolicySlug.values:
        raise PrivacyError(_("没有这个页面。"))
    if not title.strip() or not body.strip():
        raise PrivacyError(_("标题和正文都不能为空。"))
    page = PolicyPage.objects.select_for_update().filter(slug=slug).first() or PolicyPage(slug=slug)
    page.title = title.strip()
    page.body = body.strip()
    page.updated_by = actor
    page.updated_at = timezone.now()
    page.save()
    record(PrivacyAction.POLICY_UPDATED, actor=actor, obj=page, reason=slug, after={"slug": slug})
    return page
