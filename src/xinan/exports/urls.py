"""The views module owns its URL patterns."""

from xinan.exports import views

app_name = "exports"
urlpatterns = [*views.urlpatterns]
