from django.urls import path

from xinan.privacy import views
from xinan.privacy.enums import PolicySlug

app_name = "privacy"
urlpatterns = [
    path("rules/", views.policy_view, {"slug": PolicySlug.PROCESSING_RULES.value}, name="rules"),
    path("rules/edit/", views.policy_edit, {"slug": PolicySlug.PROCESSING_RULES.value}, name="rules_edit"),
    path("children/", views.policy_view, {"slug": PolicySlug.CHILDREN.value}, name="children"),
    path("children/edit/", views.policy_edit, {"slug": PolicySlug.CHILDREN.value}, name="children_edit"),
    path("cases/<int:pk>/consents/", views.case_consents, name="case_consents"),
    path("cases/<int:pk>/consents/add/", views.consent_add, name="consent_add"),
    path("cases/<int:pk>/basis/", views.basis_change, name="basis_change"),
    path("consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:consent_pk>/proof/", views.consent_proof, name="consent_proof"),
    path("reveal/<slug:key>/<int:pk>/", views.reveal_field, name="reveal"),
]
