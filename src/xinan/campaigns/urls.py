"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.campaigns.views import filing, province

app_name = "campaigns"
urlpatterns = [*filing.urlpatterns, *province.urlpatterns]
