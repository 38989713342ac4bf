from django.urls import include, path

urlpatterns = [
    path("", include("xinan.web.urls")),
    path("accounts/", include("xinan.accounts.urls")),
    path("orgs/", include("xinan.organisations.urls")),
    path("audit/", include("xinan.audit.urls")),
    path("notifications/", include("xinan.notifications.urls")),
    path("cases/", include("xinan.cases.urls")),
    path("students/", include("xinan.students.urls")),
    path("dossier/", include("xinan.dossier.urls")),
    path("training/", include("xinan.training.urls")),
    path("reports/", include("xinan.reports.urls")),
    path("campaigns/", include("xinan.campaigns.urls")),
    path("reviews/", include("xinan.reviews.urls")),
    path("selection/", include("xinan.selection.urls")),
    path("privacy/", include("xinan.privacy.urls")),
    path("retention/", include("xinan.retention.urls")),
    path("exports/", include("xinan.exports.urls")),
    path("alerts/", include("xinan.alerts.urls")),
]

handler400 = "xinan.web.errors.bad_request"
handler403 = "xinan.web.errors.permission_denied"
handler404 = "xinan.web.errors.page_not_found"
handler500 = "xinan.web.errors.server_error"
