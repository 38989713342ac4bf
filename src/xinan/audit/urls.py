from django.urls import path

from xinan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_home, name="home"),
    path("verify/", views.verify_chain, name="verify"),
    path("<int:pk>/", views.audit_log, name="log"),
]
