"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.cases.views import (
    counselling,
    dashboard,
    detail,
    glass_breaks,
    lists,
    members,
    notices,
    reporting,
    safety,
    school_admin,
    team,
    work,
)

app_name = "cases"
urlpatterns = [
    *lists.urlpatterns,
    *dashboard.urlpatterns,
    *reporting.urlpatterns,
    *detail.urlpatterns,
    *glass_breaks.urlpatterns,
    *work.urlpatterns,
    *safety.urlpatterns,
    *counselling.urlpatterns,
    *members.urlpatterns,
    *school_admin.urlpatterns,
    *team.urlpatterns,
    *notices.urlpatterns,
]
