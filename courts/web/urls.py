from django.contrib.auth.views import LogoutView
from django.urls import include, path

from courts.web.views import access, amend, auth, cases, court, distribution, listing, restrictions, search
from courts.web.views import organisation as organisation_views
from courts.web.views.roles import roles_page
from courts.web.views.worklists import amendments_page

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    path("sign-in/", auth.sign_in, name="login"),
    path("sign-in/code/", auth.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-two-factor/", auth.two_factor_setup, name="two-factor-setup"),
    path("sign-in/set-up-account/", organisation_views.account_setup, name="account-setup"),
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
    # Listing: court rooms, sittings, the court diary, the worklist and the first-hearing rules.
    path("listing/", listing.listing_home, name="listing-home"),
    path("listing/<str:ou_code>/", listing.listing_centre, name="listing-centre"),
    path("listing/<str:ou_code>/<court_date:day>/", listing.diary, name="listing-diary"),
    path("listing/<str:ou_code>/worklist/", listing.worklist, name="listing-worklist"),
    path("listing/<str:ou_code>/rooms/", listing.court_rooms, name="listing-rooms"),
    path("listing/<str:ou_code>/sittings/new/", listing.sitting_create_page, name="listing-sitting-create"),
    path("listing/<str:ou_code>/sittings/pattern/", listing.sitting_pattern_page, name="listing-sitting-pattern"),
    path("listing/<str:ou_code>/sittings/<uuid:sitting_id>/order/", listing.sitting_reorder,
         name="listing-sitting-reorder"),
    path("listing/<str:ou_code>/non-sitting-days/new/", listing.non_sitting_day_page, name="listing-non-sitting-day"),
    path("listing/<str:ou_code>/hearings/<uuid:hearing_id>/list/", listing.hearing_list_page,
         name="listing-hearing-list"),
    path("listing/<str:ou_code>/hearings/<uuid:hearing_id>/vacate/", listing.hearing_vacate_page,
         name="listing-hearing-vacate"),
    path("listing/<str:ou_code>/rules/", listing.listing_rules_page, name="listing-rules"),
    path("court-lists/", include("courts.web.views.court_lists")),
    # The defence portal: my cases, associate, hearings with check-in, results.
    path("defence/", include("courts.web.views.defence")),
    # Portals: prosecution (cases, rejected cases to fix, results), judiciary (today's lists, case at a
    # glance), partner agencies (defendants and results).
    path("prosecution/", include("courts.web.views.prosecution")),
    path("judiciary/", include("courts.web.views.judiciary")),
    path("partner/", include("courts.web.views.partner")),
    # An organisation administrator's people: joiners, movers, leavers.
    path("organisation/users/", include("courts.web.views.organisation")),
    path("cases/<uuid:case_id>/access-log/", access.case_access_log, name="case-access-log"),
    path("cases/<uuid:case_id>/restrictions/", restrictions.case_restrictions, name="case-restrictions"),
    # In court: the sitting's list and log, resulting a hearing, warrants, custody time limits.
    path("court/sittings/<uuid:sitting_id>/", court.sitting_page, name="court-sitting"),
    path("court/hearings/<uuid:hearing_id>/", court.resulting_page, name="court-resulting"),
    path("court/hearings/<uuid:hearing_id>/defendants/<uuid:defendant_id>/results/", court.defendant_results,
         name="court-results"),
    path("court/warrants/<uuid:warrant_id>/", court.warrant_page, name="court-warrant"),
    path("court/custody-time-limits/", court.ctl_worklist, name="ctl-worklist"),
    path("court/amendments/", amendments_page, name="court-amendments"),
    # Results to partners: the partners, each hearing's messages, the undelivered worklist, replay.
    path("partners/", distribution.partners_page, name="partners"),
    path("partners/new/", distribution.partner_create_page, name="partner-create"),
    path("partners/<uuid:partner_id>/", distribution.partner_page, name="partner-detail"),
    path("deliveries/hearings/<uuid:hearing_id>/", distribution.hearing_deliveries_page, name="deliveries-hearing"),
    path("deliveries/undelivered/", distribution.undelivered_page, name="deliveries-undelivered"),
    path("deliveries/<uuid:delivery_id>/replay/", distribution.delivery_replay_page, name="delivery-replay"),
    path("court/warrants/<uuid:warrant_id>.pdf", distribution.warrant_pdf_page, name="court-warrant-pdf"),
    # Staff home and court administration: a court administrator grants and revokes roles at their centres.
    path("court-administration/roles/", roles_page, name="court-administration-roles"),
]
