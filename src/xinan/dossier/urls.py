"""The views module owns its URL patterns (and registers the case page's section)."""

from xinan.dossier import views

app_name = "dossier"
urlpatterns = [*views.urlpatterns]
