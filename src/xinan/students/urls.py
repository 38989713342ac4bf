from django.urls import path

from xinan.students import views

app_name = "students"
urlpatterns = [
    path("", views.register_home, name="home"),
    path("school/<int:school_pk>/", views.student_list, name="list"),
    path("school/<int:school_pk>/new/", views.student_add, name="add"),
    path("school/<int:school_pk>/classes/", views.class_list, name="classes"),
    path("school/<int:school_pk>/import/", views.student_import, name="import"),
    path("school/<int:school_pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.student_edit, name="edit"),
    path("classes/<int:pk>/", views.class_edit, name="class_edit"),
]
