"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.campaigns.views import filing, national, province

app_name = "campaigns"
urlpatterns = [*national.urlpatterns, *filing.urlpatterns, *province.urlpatterns]
