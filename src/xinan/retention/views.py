"""The legal hold of a closed case, set and cleared by the team leader."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xinan.cases import sections
from xinan.cases.models import Case
from xinan.retention.forms import LegalHoldForm
from xinan.retention.services.destruction import period_of
from xinan.retention.services.errors import RetentionError
from xinan.retention.services.hold import clear_legal_hold, set_legal_hold
from xinan.web.access import get_for_user_or_404

sections.register(90, "retention/_case_legal_hold.html", "cases.close_case")


@login_required
@require_http_methods(["GET", "POST"])
def legal_hold(request, pk: int):
    case = get_for_user_or_404(request, "cases.close_case", Case.objects.select_related("school", "student"), pk=pk)
    form = LegalHoldForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            act = clear_legal_hold if case.legal_hold else set_legal_hold
            try:
                act(case, by=request.user, reason=form.cleaned_data["reason"], request=request)
            except RetentionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("法定保全已解除。") if case.legal_hold else _("法定保全已设置。"))
                return redirect(reverse("cases:detail", args=[case.pk]))
        status = 400
    due_on = None
    if case.closed_at is not None:
        _kind, _start, due_on = period_of(case, settings.RETENTION_CASE_YEARS)
    return render(request, "retention/legal_hold.html", {"case": case, "form": form, "due_on": due_on}, status=status)
