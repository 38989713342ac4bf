from django.urls import path

from xinan.retention import views

app_name = "retention"
urlpatterns = [
    path("cases/<int:pk>/hold/", views.legal_hold, name="legal_hold"),
]
