"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.selection.views import national, province

app_name = "selection"
urlpatterns = [*province.urlpatterns, *national.urlpatterns]
