"""Each views module owns its URL patterns; this file only gathers them."""

from xinan.campaigns.views import filing, national, province
from xinan.campaigns.views import originality as originality_views
from xinan.campaigns.views import statistics as statistics_views

app_name = "campaigns"
urlpatterns = [*national.urlpatterns, *filing.urlpatterns, *province.urlpatterns]
urlpatterns += originality_views.urlpatterns
urlpatterns += statistics_views.urlpatterns
