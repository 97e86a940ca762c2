from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from courts.web.views import amend, auth, cases, search

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    path("sign-in/", auth.sign_in, name="login"),
    path("sign-out/", LogoutView.as_view(next_page="web:login"), name="logout"),
    path("search/", search.case_search, name="case-search"),
    path("cases/new/", cases.case_create, name="case-create"),
    path("cases/<uuid:case_id>/", cases.case_detail, name="case-detail"),
    path("cases/<uuid:case_id>/defendants/<uuid:defendant_id>/change/", amend.defendant_edit,
         name="defendant-edit"),
    path("cases/<uuid:case_id>/defendants/<uuid:defendant_id>/offences/new/", amend.offence_create,
         name="offence-add"),
    path("cases/<uuid:case_id>/offences/<uuid:offence_id>/withdraw/", amend.offence_withdraw_page,
         name="offence-withdraw"),
    path("cases/<uuid:case_id>/offences/<uuid:offence_id>/wording/", amend.offence_wording,
         name="offence-wording"),
    path("court-lists/", include("courts.web.views.court_lists")),
    # GOV.UK Frontend's compiled stylesheet asks for its fonts and images at /assets/.
    path("assets/<path:path>", RedirectView.as_view(url=f"{settings.STATIC_URL}govuk/assets/%(path)s", permanent=True),
         name="govuk-assets"),
]
