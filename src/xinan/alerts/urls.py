from django.urls import path

from xinan.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
