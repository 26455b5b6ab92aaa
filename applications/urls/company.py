"""The company page and inviting colleagues."""

from django.urls import path

from applications.views import api_keys, company

urlpatterns = [
    path("employer/company/", company.company_detail, name="company-detail"),
    path("employer/company/edit/", company.company_edit, name="company-edit"),
    path("employer/company/verification/ask-again/", company.company_ask_again, name="company-ask-again"),
    path("employer/company/invitations/", company.invitation_create, name="invitation-create"),
    path("employer/company/invitations/<int:pk>/revoke/", company.invitation_revoke, name="invitation-revoke"),
    path("employer/company/figures/", company.figures_create, name="figures-create"),
    path("employer/company/api-keys/", api_keys.api_key_list, name="api-keys"),
    path("employer/company/api-keys/<int:pk>/revoke/", api_keys.api_key_revoke_view, name="api-key-revoke"),
    path("company-figures/<int:pk>/evidence/", company.figures_evidence, name="figures-evidence"),
]
