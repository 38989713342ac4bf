from django.urls import path

from xinan.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/team/", views.crisis_team, name="team"),
]
