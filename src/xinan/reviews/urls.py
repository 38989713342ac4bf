"""The views module owns its URL patterns; this file only names the app."""

from xinan.reviews import views

app_name = "reviews"
urlpatterns = views.urlpatterns
