"""The views module owns its URL patterns; this file only names the app."""

from xinan.reports.views import urlpatterns  # noqa: F401 - re-exported for include()

app_name = "reports"
