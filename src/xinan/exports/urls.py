from django.urls import path  # noqa: F401 - patterns are added by this app's views

app_name = "exports"
urlpatterns: list = []
