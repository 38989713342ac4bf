"""The privacy pages: the saved text of a deployment, or the default text until one is saved."""

from __future__ import annotations

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
