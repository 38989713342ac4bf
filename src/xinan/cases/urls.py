"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.cases.views import detail, lists, reporting

app_name = "cases"
urlpatterns = [
    *lists.urlpatterns,
    *reporting.urlpatterns,
    *detail.urlpatterns,
]
