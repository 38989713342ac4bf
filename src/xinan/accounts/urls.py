from django.urls import path

from xinan.accounts import views, views_admin, views_channels

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/send/", views.send_code, name="send_code"),
    path("login/code/", views.code_login, name="code_login"),
    path("login/otp/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security_view, name="security"),
    path("channels/", views_channels.my_channels, name="channels"),
    path("manage/channels/", views_channels.channel_accounts, name="admin_channels"),
    path("manage/outbox/", views_channels.outbox_list, name="admin_outbox"),
    path("manage/outbox/<int:pk>/recall/", views_channels.outbox_recall, name="admin_outbox_recall"),
    path("manage/channels/<int:pk>/<str:platform>/", views_channels.channel_account_edit, name="admin_channel_edit"),
]

# System administrator (accounts) and security administrator (roles): 三员分立.
urlpatterns += [
    path("manage/people/", views_admin.people_list, name="admin_people"),
    path("manage/people/new/", views_admin.person_create, name="admin_person_create"),
    path("manage/people/<int:pk>/", views_admin.person_detail, name="admin_person"),
    path("manage/people/<int:pk>/deactivate/", views_admin.person_deactivate, name="admin_person_deactivate"),
    path("manage/people/<int:pk>/reactivate/", views_admin.person_reactivate, name="admin_person_reactivate"),
    path("manage/people/<int:pk>/unlock/", views_admin.person_unlock, name="admin_person_unlock"),
    path("manage/people/<int:pk>/phone/", views_admin.person_reveal_phone, name="admin_person_phone"),
    path("manage/roles/", views_admin.role_list, name="admin_roles"),
    path("manage/roles/grant/", views_admin.role_grant, name="admin_role_grant"),
    path("manage/roles/<int:pk>/revoke/", views_admin.role_revoke, name="admin_role_revoke"),
]
