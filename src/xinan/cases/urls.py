"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.cases.views import dashboard, detail, lists, reporting

app_name = "cases"
urlpatterns = [
    *lists.urlpatterns,
    *dashboard.urlpatterns,
    *reporting.urlpatterns,
    *detail.urlpatterns,
]

# The work recorded on a case (safety plan, counselling notes, members); kept apart for parallel work on this file.
from xinan.cases.views import counselling, members, safety, work  # noqa: E402

urlpatterns += [*work.urlpatterns, *safety.urlpatterns, *counselling.urlpatterns, *members.urlpatterns]

# School administration (crisis settings, plan templates) and crisis-team editing.
from xinan.cases.views import school_admin, team  # noqa: E402

urlpatterns += [*school_admin.urlpatterns, *team.urlpatterns]
