"""The access matrix: every page and API operation, found by walking the URL configuration and the
NinjaAPI's routers, against every kind of person and system, on their own case and on another case.

`RULES` says who may use each endpoint. An endpoint with no rule fails `test_every_endpoint_has_a_rule`
("add an access rule for ..."), so a new page or API operation cannot arrive without deciding who may
use it. Each endpoint is one test that asks as every role, on the own and the other case where a path
parameter belongs to a case, and fails with a table of every cell that differs from its rule. The data
is made once per module through the real services, in a transaction rolled back at the end; each
request runs in a savepoint rolled back after it.

Outcomes (a rule's cell, or a pair (own case, other case)):
  OK       2xx/3xx (not to sign-in), or 400/405/409/422/429: allowed, past the access decision
  LOGIN    sign in first: 302 to the sign-in page (pages), 401 (API)
  DENIED   forbidden: 403
  HIDDEN   not found: 404 (a case, or an object, the caller may not know exists)
  PASSES   allowed, but the matrix has no object for the id (partner, delivery, warrant, amendment,
           subscription, document; results not shared): anything but 401/403
  BLOCKED  refused, for a bare request whose required body or query is missing: 403, 404, or ninja's
           schema 422 (or 415 for the XML intake). Ninja checks the request's shape before the view's
           access decision runs, so for those a refused caller cannot be told from one with a malformed
           request: the matrix only shows that nobody refused gets past it (a documented limit; those
           decisions are tested with real bodies beside each API).
Pages ignore bearer tokens: a token role is anonymous there.

`test_restricted_cases` asks every case-bound endpoint about a restricted case (a youth, a sexual offence
complainant named in the wording) as every role: the outcome is the own case's rule, and the protected names
are in the body only for the roles that need them (docs/access.md "Restricted cases").
"""

import datetime as dt
import os
import re
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.services import (
    actor_for_user,
    api_token_create,
    judicial_office_grant,
    organisation_get_or_create,
    staff_role_grant,
)
from courts.accounts.tests.factories import UserFactory
from courts.api.urls import api
from courts.cases.enums import IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.services import case_intake
from courts.cases.tests.factories import COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.models import Hearing
from courts.listing.services import hearing_list
from courts.listing.tests.factories import room, sitting
from courts.reference.calendar import on_or_after_working_day
from courts.reference.models import CourtCentre
from courts.web.middleware import TWO_FACTOR_KEY, TWO_FACTOR_VERIFIED

SYSTEM = Actor.system("access matrix")
UNKNOWN = str(uuid.UUID(int=12345))  # an id no object has: used where the matrix has no fixture object
API_PREFIX = "/api/v1"
# ACCESS_MATRIX_PROBE=<file> appends every observed cell (for reviewing the rules), tab-separated.
PROBE = open(os.environ["ACCESS_MATRIX_PROBE"], "a") if os.environ.get("ACCESS_MATRIX_PROBE") else None

# ---------------------------------------------------------------------------------------------- endpoints


@dataclass(frozen=True)
class Endpoint:
    key: str  # "web:<url name>" or "api:<operationId>"
    method: str
    template: str  # the path, with {param} placeholders

    def __str__(self) -> str:
        return f"{self.method} {self.template} ({self.key})"


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if prefix + str(p.pattern) == "api/v1/":
                continue  # the API's operations are walked from the NinjaAPI itself
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name


# The pages' methods: GET unless a page only takes POST (writes are exercised with a bare POST).
WEB_METHODS = {"web:logout": "POST", "web:defence-grant": "POST", "web:defence-grant-revoke": "POST",
               "web:listing-sitting-reorder": "POST", "web:delivery-replay": "POST"}


def web_endpoints() -> list[Endpoint]:
    found = []
    for route, name in _walk(get_resolver().url_patterns):
        template = "/" + _CONVERTER.sub(lambda m: "{" + m["name"] + "}", route)
        found.append(Endpoint(key=name, method=WEB_METHODS.get(name, "GET"), template=template))
    return found


def api_endpoints() -> list[Endpoint]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in sorted(operation.methods):
                    found.append(Endpoint(key=f"api:{operation.operation_id or operation.view_func.__name__}",
                                          method=method, template=API_PREFIX + prefix + path))
    return found


ENDPOINTS = web_endpoints() + api_endpoints()

# ---------------------------------------------------------------------------------------------- roles

ROLES = [
    "anonymous",
    "staff",  # a legal adviser at the 'own' case's court centre (the 'other' case is at another centre)
    "judiciary",  # a district judge sitting there (reads; records nothing)
    "prosecutor",  # a person of the prosecutor that brought the 'own' case
    "prosecutor_token",  # the same prosecutor's system
    "defence",  # a person of the firm on record for the 'own' case's defendant
    "defence_token",
    "advocate",  # a barrister granted access by the firm on record for the 'own' case
    "partner_token",  # a police force's system: a partner agency, no case of its own
    "partner",  # a probation officer (a person)
]
SCOPES = ["own", "other"]

# ---------------------------------------------------------------------------------------------- rules

OK, LOGIN, DENIED, HIDDEN, BLOCKED, PASSES = "OK", "LOGIN", "DENIED", "HIDDEN", "BLOCKED", "PASSES"
SCHEMA = "SCHEMA"  # an outcome only: ninja's 422 for the request's shape


def rule(default, **cells):
    """`default` for every role not named; a cell is one outcome or a pair (own case, other case)."""
    table = {role: default for role in ROLES}
    table.update(cells)
    return table


PUBLIC = rule(OK)
SIGN_IN_STEP = rule(LOGIN)  # no pending sign-in: back to the first step, whoever asks
SIGNED_IN = rule(OK, anonymous=LOGIN)
# Court staff only (the judiciary read cases, they record nothing); anyone else signed in is refused. An id
# with no fixture object (partner, delivery, warrant, amendment) is 404 to staff too: `PASSES` (not 401/403)
# says they got past the access decision.
STAFF = rule(DENIED, anonymous=LOGIN, staff=OK)
STAFF_UNKNOWN_ID = rule(DENIED, anonymous=LOGIN, staff=PASSES)
STAFF_WRITE = rule(BLOCKED, anonymous=LOGIN, staff=OK)  # a bare POST/PUT with a body
# A staff page of a case, sitting or hearing: the 'other' one is at a court centre where the staff member
# does not work, so it is not found.
STAFF_CASE = rule(DENIED, anonymous=LOGIN, staff=(OK, HIDDEN))


def case_read(*, partner=HIDDEN, allowed=OK) -> dict:
    """docs/access.md "Case access": court staff and judiciary their court centre's cases; the prosecutor
    (users and tokens) its own; the firm on record (users and tokens) and the advocate it granted theirs;
    anyone else nothing, as 404."""
    mine = (allowed, HIDDEN)
    return rule(partner, anonymous=LOGIN, staff=mine, judiciary=mine, prosecutor=mine,
                prosecutor_token=mine, defence=mine, defence_token=mine, advocate=mine)


# The defence portal: defence organisations' people only (court staff, prosecutors and partners 403, by
# design: staff use the case pages); a defendant the firm is not on record for is 404.
DEFENCE_PAGE = rule(DENIED, anonymous=LOGIN, defence=OK, advocate=OK)
DEFENCE_CASE = rule(DENIED, anonymous=LOGIN, defence=(OK, HIDDEN), advocate=(OK, HIDDEN))
# Only the firm on record acts for the defendant (stop acting, grant and revoke advocates); its advocate
# is refused on the firm's defendant and told nothing of another's.
DEFENCE_FIRM = rule(DENIED, anonymous=LOGIN, defence=(OK, HIDDEN), advocate=(DENIED, HIDDEN))

# docs/api.md "Subscriptions": a prosecutor or partner agency subscribes (its people and its systems); the
# defence cannot; court staff sessions are 403. With an unknown subscription id: 404 to everyone
# signed in (a subscription that is not yours is not found).
SUBSCRIBER = rule(DENIED, anonymous=LOGIN, prosecutor=OK, prosecutor_token=OK, partner=OK, partner_token=OK)
SUBSCRIPTION = rule(HIDDEN, anonymous=LOGIN, prosecutor=PASSES, prosecutor_token=PASSES, partner=PASSES,
                    partner_token=PASSES)

RULES: dict[str, dict] = {
    # Signing in and out, the start page, GOV.UK assets, the public court lists.
    "web:home": SIGNED_IN,
    "web:login": PUBLIC,
    "web:sign-in-code": SIGN_IN_STEP,
    "web:two-factor-setup": SIGN_IN_STEP,
    "web:logout": SIGN_IN_STEP,  # signs out and goes to the sign-in page
    "web:court-lists": PUBLIC,
    "web:court-list": PUBLIC,  # the public list; press and internal lists are tested in test_court_lists
    # Cases: search is narrowed to the visible cases (courts/cases/tests); creating one is the court's.
    "web:case-search": SIGNED_IN,
    "web:case-create": STAFF,
    "web:case-detail": case_read(),
    "web:defendant-edit": STAFF_CASE,
    "web:offence-add": STAFF_CASE,
    "web:offence-withdraw": STAFF_CASE,
    "web:offence-wording": STAFF_CASE,
    # Only a court administrator of the case's court reads its access log (the matrix's staff member is a
    # legal adviser): courts/cases/tests/test_access_scope.py shows an administrator reading it.
    "web:case-access-log": rule(DENIED, anonymous=LOGIN, staff=(DENIED, HIDDEN)),
    "web:case-restrictions": STAFF_CASE,  # record and lift reporting restrictions: the case's court staff
    # Listing.
    "web:listing-home": STAFF,
    "web:listing-centre": STAFF,
    "web:listing-diary": STAFF,
    "web:listing-worklist": STAFF,
    "web:listing-rooms": STAFF,
    "web:listing-sitting-create": STAFF,
    "web:listing-sitting-pattern": STAFF,
    "web:listing-sitting-reorder": STAFF_CASE,
    "web:listing-non-sitting-day": STAFF,
    "web:listing-hearing-list": STAFF_CASE,
    "web:listing-hearing-vacate": STAFF_CASE,
    "web:listing-rules": STAFF,
    # In court.
    "web:court-sitting": STAFF_CASE,
    "web:court-resulting": STAFF_CASE,
    "web:court-results": STAFF_CASE,
    "web:court-warrant": STAFF_UNKNOWN_ID,
    "web:court-warrant-pdf": STAFF_UNKNOWN_ID,
    "web:ctl-worklist": STAFF,
    # Results to partners.
    "web:partners": STAFF,
    "web:partner-create": STAFF,
    "web:partner-detail": STAFF_UNKNOWN_ID,
    "web:deliveries-hearing": STAFF,
    "web:deliveries-undelivered": STAFF,
    "web:delivery-replay": STAFF_UNKNOWN_ID,
    # Staff home and court administration. The amendments waiting for approval are court staff's (the list
    # is narrowed to their centres by its selector). The roles page is a court administrator's only, and
    # nobody in the matrix is one ("staff" is a legal adviser): 403 to everyone signed in.
    "web:court-amendments": STAFF,
    "web:court-administration-roles": rule(DENIED, anonymous=LOGIN),
    # The defence portal.
    "web:defence-home": DEFENCE_PAGE,
    "web:defence-associate": DEFENCE_PAGE,
    "web:defence-case": DEFENCE_CASE,
    "web:defence-check-in": DEFENCE_CASE,
    "web:defence-disassociate": DEFENCE_FIRM,
    "web:defence-grant": DEFENCE_FIRM,
    "web:defence-grant-revoke": rule(DENIED, anonymous=LOGIN, defence=(OK, HIDDEN), advocate=HIDDEN),
    # Portals: prosecution, judiciary, partner agencies
    # Each for its own kind of person (403 to everyone else; pages ignore tokens). A judge's case at a
    # glance is the judiciary's case access (the centres where they sit; another's case is 404).
    "web:prosecution-home": rule(DENIED, anonymous=LOGIN, prosecutor=OK),
    "web:prosecution-intake-errors": rule(DENIED, anonymous=LOGIN, prosecutor=OK),
    "web:prosecution-results": rule(DENIED, anonymous=LOGIN, prosecutor=OK),
    "web:judiciary-home": rule(DENIED, anonymous=LOGIN, judiciary=OK),
    "web:judiciary-case": rule(DENIED, anonymous=LOGIN, judiciary=case_read()["judiciary"]),
    "web:partner-home": rule(DENIED, anonymous=LOGIN, partner=OK),
    # API: cases. Search needs its query or body (422 for everyone signed in); that it finds only the cases
    # the caller may see is tested in courts/api/tests/test_cases.py. The GET takes a URN; a search by a
    # person (surname and date of birth, ASN, PNC ID) is the POST, its criteria in the body, not the URL.
    "api:cases_create": STAFF_WRITE,
    "api:cases_search": SIGNED_IN,
    "api:cases_search_post": SIGNED_IN,
    "api:cases_get": case_read(),
    "api:restrictions_create": STAFF_WRITE,
    "api:restrictions_lift": STAFF_WRITE,
    "api:spi_cases_create": STAFF_WRITE,  # XML: a bare JSON body is 415 before the access decision
    # API: listing. A court centre's rooms and listing rules are reference data, not case data (room names
    # are on the public court lists): anyone signed in may read them; changing them is the court's.
    "api:court_rooms_list": SIGNED_IN,
    "api:court_rooms_create": STAFF_WRITE,
    "api:non_sitting_days_declare": STAFF_WRITE,
    "api:sittings_list": STAFF_WRITE,  # required query parameters: 422 before the access decision
    "api:sittings_get": STAFF_CASE,
    "api:sittings_create": STAFF_WRITE,
    "api:sitting_patterns_create": STAFF_WRITE,
    "api:sittings_reorder": STAFF_WRITE,
    "api:unallocated_hearings_list": STAFF,
    "api:listing_rules_get": SIGNED_IN,
    "api:listing_rules_update": STAFF_WRITE,
    "api:hearings_list": STAFF_WRITE,  # required query parameters
    "api:hearings_create": STAFF_WRITE,
    "api:hearings_get": case_read(),
    "api:hearings_list_in_sitting": STAFF_WRITE,
    "api:hearings_add_day": STAFF_WRITE,
    "api:hearings_vacate": STAFF_WRITE,
    "api:court_schedule_get": case_read(),
    "api:court_lists_get": PUBLIC,  # required query parameters: 422 for everyone, signed in or not
    # API: resulting.
    "api:results_get": STAFF_CASE,
    "api:results_draft_save": STAFF_WRITE,
    "api:results_share": STAFF_WRITE,
    "api:results_plea": STAFF_WRITE,
    "api:results_verdict": STAFF_WRITE,
    "api:results_allocation": STAFF_WRITE,
    "api:results_amendment_request": STAFF_WRITE,
    "api:result_amendment_get": STAFF_UNKNOWN_ID,
    "api:result_amendment_approve": STAFF_UNKNOWN_ID,
    "api:result_amendment_reject": STAFF_UNKNOWN_ID,
    # 404 until the hearing's results are shared (none are here), so those allowed only "pass".
    "api:hearings_resulted": case_read(allowed=PASSES),
    "api:getHearingResult": case_read(),
    # API: results to partners.
    "api:partners_list": STAFF,
    "api:partners_create": STAFF_WRITE,
    "api:partners_get": STAFF_UNKNOWN_ID,
    "api:partners_update": STAFF_WRITE,
    "api:partners_key_rotate": STAFF_WRITE,
    "api:hearing_deliveries": STAFF,
    "api:deliveries_list": STAFF,
    "api:deliveries_get": STAFF_UNKNOWN_ID,
    "api:deliveries_replay": STAFF_UNKNOWN_ID,
    # API: an organisation's own subscriptions (CP's subscription contract).
    "api:GetEventTypes": SIGNED_IN,
    "api:createClientSubscription": SUBSCRIBER,
    "api:getClientSubscription": SUBSCRIPTION,
    "api:updateClientSubscription": SUBSCRIPTION,
    "api:deleteClientSubscription": SUBSCRIPTION,
    "api:rotateClientSubscriptionSecret": SUBSCRIPTION,
    "api:getDocument": SUBSCRIPTION,
    # API: the defence. Associating needs a body; the list is the caller's own (empty for others).
    "api:defence_associate": SIGNED_IN,
    "api:defence_associations": SIGNED_IN,
    "api:defence_disassociate": rule(HIDDEN, anonymous=LOGIN, defence=(OK, HIDDEN), defence_token=(OK, HIDDEN)),
    # Organisation users (organisation administrators): nobody in the matrix administers an organisation, so
    # everyone signed in is refused before the person is looked up (courts/web/tests/test_organisation_pages.py
    # shows an administrator using them, and another organisation's person as 404). Setting up an account
    # with a set-up code is a step of signing in: anyone may open it.
    "web:organisation-users": rule(DENIED, anonymous=LOGIN),
    "web:organisation-user-add": rule(DENIED, anonymous=LOGIN),
    "web:organisation-user": rule(DENIED, anonymous=LOGIN),
    "web:account-setup": PUBLIC,
}

# Endpoints where the app does not (yet) do what the rule says: key -> the precise gap (strict xfail). None now.
XFAIL: dict[str, str] = {}

# ---------------------------------------------------------------------------------------------- data


@dataclass
class World:
    params: dict  # scope -> {path parameter: value}
    users: dict
    tokens: dict
    sessions: dict = None
    client: Client = None


def _case(prosecutor, urn: str, the_sitting, asn_base: int, last_name: str):
    day = the_sitting.date
    offence_date = min(day, court_today()) - dt.timedelta(days=30)
    intake = CaseIntake(
        urn=urn, initiation_type="C", court_centre_ou_code=the_sitting.court_centre.ou_code, hearing_date=None,
        defendants=[DefendantIntake(
            kind="person", first_name="Jo", last_name=last_name, date_of_birth=dt.date(1985, 2, 3),
            asn=valid_asn(sequence=asn_base), bail_status="B",
            offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole food", start_date=offence_date,
                                    charge_date=offence_date + dt.timedelta(days=1))])],
    )
    case = case_intake(intake=intake, prosecutor=prosecutor, actor=SYSTEM, channel=IntakeChannel.API).case
    hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
    hearing = hearing_list(hearing=hearing, sitting=the_sitting, actor=SYSTEM, expected_sitting_version=None,
                           acknowledge_conflicts=True)
    return case, hearing


def _build() -> World:
    from courts.defence.services import advocate_grant, representation_associate

    centre = CourtCentre.objects.get(ou_code=COURT_OU)
    org = {}
    for name, kind in [("Matrix CPS", OrganisationKind.PROSECUTOR), ("Matrix TfL", OrganisationKind.PROSECUTOR),
                       ("Matrix Solicitors", OrganisationKind.DEFENCE), ("Other Solicitors", OrganisationKind.DEFENCE),
                       ("Matrix Chambers", OrganisationKind.DEFENCE), ("Matrix Police", OrganisationKind.POLICE),
                       ("Matrix Probation", OrganisationKind.PROBATION)]:
        org[name] = organisation_get_or_create(name=name, kind=kind, actor=SYSTEM)[0]

    day_one = on_or_after_working_day(court_today() + dt.timedelta(days=1))
    day_two = on_or_after_working_day(day_one + dt.timedelta(days=1))
    # The 'other' case belongs to another magistrates' court: the matrix's staff and judge do not work there.
    other_centre = CourtCentre.objects.filter(jurisdiction=centre.jurisdiction).exclude(pk=centre.pk).order_by(
        "ou_code").first()
    rooms = {"own": room(name="Matrix room"), "other": room(name="Matrix room", ou=other_centre.ou_code)}
    sittings = {"own": sitting(rooms["own"], day_one, capacity_minutes=600),
                "other": sitting(rooms["other"], day_two, capacity_minutes=600)}
    cases = {"own": _case(org["Matrix CPS"], "01MX1111125", sittings["own"], 710000, "Matrixown"),
             "other": _case(org["Matrix TfL"], "01MX2222225", sittings["other"], 720000, "Matrixother")}

    users = {
        "staff": UserFactory(username="mx-adviser", national_access=False),
        "judiciary": UserFactory(username="mx-judge", national_access=False),
        "prosecutor": UserFactory(username="mx-cps", organisation=org["Matrix CPS"]),
        "defence": UserFactory(username="mx-solicitor", organisation=org["Matrix Solicitors"]),
        "advocate": UserFactory(username="mx-barrister", organisation=org["Matrix Chambers"]),
        "partner": UserFactory(username="mx-probation", organisation=org["Matrix Probation"]),
    }
    staff_role_grant(user=users["staff"], court_centre=centre, role=StaffRoleKind.LEGAL_ADVISER, actor=SYSTEM)
    judicial_office_grant(user=users["judiciary"], kind=JudicialOfficeKind.DISTRICT_JUDGE, court_centres=[centre],
                          actor=SYSTEM)
    other_firm_person = UserFactory(username="mx-other-solicitor", organisation=org["Other Solicitors"])
    other_advocate = UserFactory(username="mx-other-barrister", organisation=org["Matrix Chambers"])

    params = {}
    for scope, firm_person, advocate in [("own", users["defence"], users["advocate"]),
                                         ("other", other_firm_person, other_advocate)]:
        case, hearing = cases[scope]
        defendant = case.defendants.get()
        firm_actor = actor_for_user(firm_person)
        representation = representation_associate(urn=case.urn, surname=defendant.last_name,
                                                  date_of_birth=defendant.date_of_birth, actor=firm_actor)
        grant = advocate_grant(representation=representation, advocate=advocate, actor=firm_actor)
        params[scope] = {
            "case_id": case.id, "defendant_id": defendant.id, "offence_id": defendant.offences.get().id,
            "hearing_id": hearing.id, "hearingId": hearing.id, "sitting_id": sittings[scope].id,
            "court_room_id": rooms[scope].id, "ou_code": COURT_OU, "day": sittings[scope].date.isoformat(),
            "date": sittings[scope].date.isoformat(), "list_type": "public", "case_urn": case.urn,
            "representation_id": representation.id, "grant_id": grant.id, "path": "fonts/x.woff2",
            # No fixture objects for these (court-staff-only or a partner's own): an unknown id.
            "user_id": UNKNOWN,  # a person of an organisation (organisation users' pages)
            "partner_id": UNKNOWN, "delivery_id": UNKNOWN, "warrant_id": UNKNOWN, "amendment_id": UNKNOWN,
            "clientSubscriptionId": UNKNOWN, "documentId": UNKNOWN,
        }
    tokens = {
        "prosecutor_token": api_token_create(organisation=org["Matrix CPS"], name="mx", actor=SYSTEM)[1],
        "defence_token": api_token_create(organisation=org["Matrix Solicitors"], name="mx", actor=SYSTEM)[1],
        "partner_token": api_token_create(organisation=org["Matrix Police"], name="mx", actor=SYSTEM)[1],
    }
    return World(params=params, users=users, tokens=tokens)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Made once for the module inside a transaction that is rolled back at its end; each test's own
    # transaction (the `db` fixture) is a savepoint inside it, and each request one inside that.
    with django_db_blocker.unblock():
        with transaction.atomic():
            world = _build()
            world.sessions = {}
            world.client = Client()
            for role, user in world.users.items():
                client = Client()
                client.force_login(user)
                session = client.session
                # A completed sign-in (the root conftest's patch is function-scoped, so mark it here).
                session[TWO_FACTOR_KEY] = TWO_FACTOR_VERIFIED
                session.save()
                world.sessions[role] = session.session_key
            yield world
            transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------- requests


def request(world: World, endpoint: Endpoint, role: str, scope: str):
    """One request with only this role's cookie (so no cell sees another's cookies), in a savepoint rolled
    back after it (so no cell sees another's writes: a sign-out, a vacated hearing, a revoked grant). The
    one client is reused: a new one loads the middleware again (whitenoise's file scan, 0.15 s)."""
    client = world.client
    client.cookies.clear()
    headers = {}
    if role in world.tokens:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    elif role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    path = endpoint.template.format(**world.params[scope])
    with transaction.atomic():
        response = client.generic(endpoint.method, path, data=b"{}" if endpoint.method != "GET" else b"",
                                  content_type="application/json", **headers)
        transaction.set_rollback(True)
    return response


def outcome(response) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and "/sign-in/" in response.get("Location", "")):
        return LOGIN
    if status == 403:
        return DENIED
    if status == 404:
        return HIDDEN
    if status == 415:
        return SCHEMA  # the wrong content type: refused before the access decision
    if 200 <= status < 400 or status in (400, 405, 409, 422, 429):
        return OK
    return f"status {status}"


def expected_outcome(endpoint: Endpoint, role: str, scope: str) -> str:
    if endpoint.key.startswith("web:") and role.endswith("_token"):
        role = "anonymous"  # pages ignore bearer tokens: a system is nobody there
    expected = RULES[endpoint.key][role]
    if isinstance(expected, tuple):
        expected = expected[SCOPES.index(scope)]
    return expected


def matches(expected: str, actual: str) -> bool:
    if expected == BLOCKED:
        return actual in (DENIED, HIDDEN, SCHEMA)
    if expected == PASSES:
        return actual in (OK, SCHEMA, HIDDEN)
    if actual == SCHEMA:
        actual = OK
    return actual == expected


def _is_schema_error(response) -> bool:
    # ninja's request validation, before the view (and its access decision) runs; the application's own
    # field errors are also "validation_failed" but come after the decision, so both count as past it for
    # roles that may use the endpoint, and only ninja's (a missing body field) as BLOCKED for the others.
    try:
        return response.json().get("code") == "validation_failed"
    except ValueError:
        return False


CASE_BOUND = {"case_id", "defendant_id", "offence_id", "hearing_id", "hearingId", "sitting_id", "case_urn",
              "representation_id", "grant_id", "day", "date"}


def scopes_of(endpoint: Endpoint) -> list[str]:
    """Own and other case where a path parameter belongs to a case; otherwise the one request."""
    names = set(re.findall(r"{(\w+)}", endpoint.template))
    return SCOPES if names & CASE_BOUND else ["own"]


def test_every_endpoint_has_a_rule():
    missing = [str(endpoint) for endpoint in ENDPOINTS if endpoint.key not in RULES]
    assert not missing, "add an access rule for " + ", ".join(missing)
    stale = sorted(set(RULES) - {endpoint.key for endpoint in ENDPOINTS})
    assert not stale, f"rules for endpoints that no longer exist: {stale}"


# ---------------------------------------------------------------------------------------------- restricted cases

# docs/access.md "Restricted cases": who needs a restricted case's restricted parts (the youth's name, date of
# birth and address; an offence wording that names a sexual offence complainant). Everyone else who may see the
# case gets initials and "Wording withheld"; the access outcome is the own case's rule either way.
RESTRICTED_NEEDS = {"staff", "judiciary", "prosecutor", "prosecutor_token", "defence", "defence_token", "advocate"}
RESTRICTED_SURNAME = "Xylophant"
RESTRICTED_COMPLAINANT = "Quenby Marchbanks"


@pytest.fixture(scope="module")
def restricted(world, django_db_blocker):
    """A youth's case at the matrix's own court centre, brought by Matrix CPS, Matrix Solicitors on record
    (and its advocate granted), with the complainant's anonymity (SO(A)A 1992 s.1) on the offence that names
    her; listed in its own sitting there. `world.params["restricted"]` holds its ids; a police force whose
    area is the centre (`police_area`, a token) sees the case and needs none of its restricted parts."""
    from courts.accounts.models import Organisation
    from courts.cases.services import reporting_restriction_impose
    from courts.defence.services import advocate_grant, representation_associate

    with django_db_blocker.unblock():
        own = world.params["own"]
        centre = CourtCentre.objects.get(ou_code=COURT_OU)
        the_sitting = sitting(room(name="Matrix restricted room"), dt.date.fromisoformat(own["day"]),
                              capacity_minutes=600, kind="YOUTH")
        today = court_today()
        offence_date = min(the_sitting.date, today) - dt.timedelta(days=30)
        intake = CaseIntake(
            urn="01MX3333325", initiation_type="C", court_centre_ou_code=COURT_OU, hearing_date=None,
            defendants=[DefendantIntake(
                kind="person", first_name="Yannick", last_name=RESTRICTED_SURNAME,
                date_of_birth=today.replace(year=today.year - 15, day=min(today.day, 28)),
                address_lines=["9 Quiet Lane"], postcode="SW11 7QQ", asn=valid_asn(sequence=730000), bail_status="B",
                offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording=f"Stole a bag from {RESTRICTED_COMPLAINANT}",
                                        start_date=offence_date, charge_date=offence_date + dt.timedelta(days=1))])],
        )
        cps = Organisation.objects.get(name="Matrix CPS")
        case = case_intake(intake=intake, prosecutor=cps, actor=SYSTEM, channel=IntakeChannel.API).case
        hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
        hearing = hearing_list(hearing=hearing, sitting=the_sitting, actor=SYSTEM, expected_sitting_version=None,
                               acknowledge_conflicts=True)
        defendant = case.defendants.get()
        offence = defendant.offences.get()
        reporting_restriction_impose(case=case, actor=SYSTEM, expected_version=None, basis="soaa_1992_s1",
                                     offence=offence)
        firm = actor_for_user(world.users["defence"])
        representation = representation_associate(urn=case.urn, surname=RESTRICTED_SURNAME,
                                                   date_of_birth=defendant.date_of_birth, actor=firm)
        grant = advocate_grant(representation=representation, advocate=world.users["advocate"], actor=firm)
        police = organisation_get_or_create(name="Matrix Area Police", kind=OrganisationKind.POLICE, actor=SYSTEM)[0]
        police.court_centres.add(centre)
        world.tokens["police_area"] = api_token_create(organisation=police, name="mx", actor=SYSTEM)[1]
        world.params["restricted"] = {
            **own, "case_id": case.id, "defendant_id": defendant.id, "offence_id": offence.id,
            "hearing_id": hearing.id, "hearingId": hearing.id, "sitting_id": the_sitting.id, "case_urn": case.urn,
            "representation_id": representation.id, "grant_id": grant.id,
        }
    return world


def _names_restricted(response) -> bool:
    body = response.content.decode(errors="replace")
    return RESTRICTED_SURNAME in body or RESTRICTED_COMPLAINANT in body


CASE_READS = {"web:case-detail", "api:cases_get", "api:hearings_get"}


@pytest.mark.parametrize("endpoint", [pytest.param(e, id=f"{e.key}-{e.method}") for e in ENDPOINTS
                                      if scopes_of(e) == SCOPES])
def test_restricted_cases(restricted, db, endpoint: Endpoint):
    if endpoint.key not in RULES:
        pytest.fail(f"add an access rule for {endpoint}")
    world = restricted
    wrong = []
    for role in [*ROLES, "police_area"]:
        response = request(world, endpoint, role, "restricted")
        actual = outcome(response)
        if actual == OK and response.status_code == 422 and _is_schema_error(response):
            actual = SCHEMA
        names = _names_restricted(response)
        if role == "police_area":
            # Sees the case through its area, never its restricted parts.
            if endpoint.key in {"api:cases_get", "api:hearings_get", "api:court_schedule_get"} and actual != OK:
                wrong.append(f"{role:<17} {response.status_code} {actual:<7} expected OK (the case is in its area)")
            if names:
                wrong.append(f"{role:<17} {response.status_code} names the protected people")
            continue
        expected = expected_outcome(endpoint, role, "own")
        if not matches(expected, actual):
            wrong.append(f"{role:<17} {response.status_code} {actual:<7} expected {expected:<7} "
                         f"{response.content[:120]!r}")
        if names and role not in RESTRICTED_NEEDS:
            wrong.append(f"{role:<17} {response.status_code} names the protected people, but does not need them")
        if (not names and role in RESTRICTED_NEEDS and endpoint.key in CASE_READS and actual == OK
                and not (endpoint.key.startswith("web:") and role.endswith("_token"))):
            wrong.append(f"{role:<17} {response.status_code} needs the restricted parts, but they are withheld")
    assert not wrong, f"{endpoint} on the restricted case: {len(wrong)} cells wrong\n" + "\n".join(wrong)


@pytest.mark.parametrize("endpoint", [
    pytest.param(endpoint, id=f"{endpoint.key}-{endpoint.method}",
                 marks=[pytest.mark.xfail(strict=True, reason=XFAIL[endpoint.key])] if endpoint.key in XFAIL else [])
    for endpoint in ENDPOINTS])
def test_access(world, db, endpoint: Endpoint):
    if endpoint.key not in RULES:
        pytest.fail(f"add an access rule for {endpoint}")
    wrong = []
    for role in ROLES:
        for scope in scopes_of(endpoint):
            expected = expected_outcome(endpoint, role, scope)
            response = request(world, endpoint, role, scope)
            actual = outcome(response)
            if actual == OK and response.status_code == 422 and _is_schema_error(response):
                actual = SCHEMA
            if PROBE is not None:
                PROBE.write(f"{endpoint.key}\t{endpoint.method}\t{role}\t{scope}\t{actual}\t"
                            f"{response.status_code}\t{expected}\n")
                PROBE.flush()
            if not matches(expected, actual):
                wrong.append(f"{role:<17} {scope:<5} {response.status_code} {actual:<7} expected {expected:<7} "
                             f"{response.content[:120]!r}")
    assert not wrong, f"{endpoint}: {len(wrong)} cells differ from the rule\n" + "\n".join(wrong)
