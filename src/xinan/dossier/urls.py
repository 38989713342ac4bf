"""The views module owns its URL patterns (and registers the case page's section)."""

from xinan.dossier import views, views_notices

app_name = "dossier"
urlpatterns = [*views.urlpatterns, *views_notices.urlpatterns]
