from django.urls import path

from xinan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/send/", views.send_code, name="send_code"),
    path("login/code/", views.code_login, name="code_login"),
    path("login/otp/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security_view, name="security"),
]
