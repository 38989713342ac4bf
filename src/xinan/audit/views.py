from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xinan.audit.enums import AuditAction
from xinan.audit.forms import AuditSearchForm
from xinan.audit.services.chain import verify
from xinan.audit.services.queries import entries_for_user, keyset_page, search_entries
from xinan.audit.services.record import record
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import audit_organisations_for_user
from xinan.web.access import get_for_user_or_404, refuse, require_perm


@require_GET
@login_required
def audit_home(request):
    first = audit_organisations_for_user(request.user).order_by("path").first()
    if first is None:
        refuse(request, permission="organisations.view_audit_log")
        raise Http404
    return redirect("audit:log", pk=first.pk)


@login_required
@require_http_methods(["GET", "POST"])
def verify_chain(request):
    """The auditor's integrity check of the whole trail (GB/T 22239: 审计记录的完整性保护)."""
    require_perm(request, "organisations.verify_audit_chain")
    verdict = None
    if request.method == "POST":
        verdict = verify()
        record(
            AuditAction.CHAIN_VERIFIED,
            request=request,
            after={"ok": verdict.ok, "checked": verdict.checked, "broken": verdict.broken_id},
        )
    return render(request, "audit/verify.html", {"verdict": verdict})


@require_GET
@login_required
def audit_log(request, pk: int):
    organisation = get_for_user_or_404(request, "organisations.view_audit_log", Organisation.objects.all(), pk=pk)
    record(AuditAction.AUDIT_VIEWED, request=request, organisation=organisation, obj=organisation)
    form = AuditSearchForm(request.GET or None)
    entries = entries_for_user(request.user).filter(organisation=organisation)
    if form.is_valid():
        entries = search_entries(entries, **form.cleaned_data)
    page = keyset_page(entries.select_related("actor"), request.GET.get("after", ""))
    filters = request.GET.copy()
    filters.pop("after", None)
    return render(
        request,
        "audit/log.html",
        {"organisation": organisation, "form": form, "page": page, "filters": filters.urlencode()},
    )
