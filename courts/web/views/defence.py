"""The defence portal: my cases, associate (URN, surname, date of birth), each defendant's hearings
with check-in, the shared results, disassociation and advocates' access.

Every page reads through `courts.defence.selectors` and writes through `courts.defence.services`;
each view of a defendant's case is written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import User
from courts.audit.services import access_log_record
from courts.common.actor import Actor
from courts.common.errors import ApplicationError, Conflict, NotFound, TooManyRequests, ValidationFailed
from courts.defence import selectors, services
from courts.defence.models import AdvocateGrant, Representation
from courts.web.forms import FormState
from courts.web.views.common import actor_of

ASSOCIATE_ORDER = ["urn", "surname", "date_of_birth"]


def _defence_actor(request: HttpRequest) -> Actor:
    """A person of a defence organisation (a firm, or an advocate's own organisation)."""
    organisation = request.user.organisation
    if organisation is None or organisation.kind != OrganisationKind.DEFENCE:
        raise PermissionDenied("The defence portal is for defence organisations")
    return actor_of(request)


def _representation_or_404(actor: Actor, defendant_id) -> Representation:
    try:
        return selectors.representation_get_for_actor(actor=actor, defendant_id=defendant_id)
    except NotFound as error:
        raise Http404(error.detail) from error


@never_cache
@login_required
@require_http_methods(["GET"])
def defence_home(request: HttpRequest) -> HttpResponse:
    actor = _defence_actor(request)
    return render(request, "web/defence/home.html", {
        "representations": selectors.representation_list_for_actor(actor=actor),
        "organisation_id": actor.organisation_id,
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def defence_associate(request: HttpRequest) -> HttpResponse:
    actor = _defence_actor(request)
    form = FormState(request.POST.dict() if request.method == "POST" else {}, order=ASSOCIATE_ORDER)
    status = 200
    if request.method == "POST":
        status = 422
        date_of_birth = form.date("date_of_birth", label="Date of birth")
        urn = form.bounded_text("urn", label="The URN", max_length=20)
        surname = form.bounded_text("surname", label="The surname", max_length=100)
        if form.has_errors:
            # Every problem at once: the boxes left empty get the service's own words too.
            if not form.text("urn"):
                form.add("urn", "Enter the URN")
            if not form.text("surname"):
                form.add("surname", "Enter the defendant's surname")
            if date_of_birth is None:
                form.add("date_of_birth", "Enter the defendant's date of birth")
        else:
            try:
                representation = services.representation_associate(
                    urn=urn, surname=surname, date_of_birth=date_of_birth, actor=actor)
                messages.success(request, f"You are on record for {representation.defendant.name}, "
                                          f"case {representation.case.urn}")
                return redirect("web:defence-case", defendant_id=representation.defendant_id)
            except ValidationFailed as error:
                form.add_service_errors(error, fallback=None if error.errors else "urn")
            except (Conflict, TooManyRequests) as error:
                form.add_general(error.detail)
                status = error.status
    return render(request, "web/defence/associate.html", {"form": form}, status=status)


def _case_context(actor: Actor, representation: Representation) -> dict:
    defendant = representation.defendant
    is_firm = representation.organisation_id == actor.organisation_id
    return {
        "representation": representation,
        "defendant": defendant,
        "case": representation.case,
        "offences": list(defendant.offences.order_by("sequence")),
        "hearings": selectors.hearings_for_defendant(actor=actor, representation=representation),
        "results": selectors.shared_results_for_defendant(defendant=defendant),
        "check_ins": selectors.check_ins_for_defendant(defendant=defendant),
        "is_firm": is_firm,
        "grants": selectors.grants_for_representation(representation=representation) if is_firm else [],
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def defence_case(request: HttpRequest, defendant_id) -> HttpResponse:
    actor = _defence_actor(request)
    representation = _representation_or_404(actor, defendant_id)
    access_log_record(actor=actor, case_ids=[representation.case_id], what="web:defence-case")
    context = _case_context(actor, representation)
    context["grant_form"] = FormState({}, order=["advocate", "hearing"])
    return render(request, "web/defence/case.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def defence_check_in(request: HttpRequest, defendant_id, hearing_id) -> HttpResponse:
    actor = _defence_actor(request)
    representation = _representation_or_404(actor, defendant_id)
    try:
        hearing = selectors.hearing_of_defendant(representation=representation, hearing_id=hearing_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    default_name = request.user.get_full_name() or request.user.username
    form = FormState(request.POST.dict() if request.method == "POST" else {"advocate_name": default_name},
                     order=["advocate_name"])
    status = 200
    if request.method == "POST":
        if not form.text("advocate_name"):
            form.add("advocate_name", "Enter the advocate's name")
        form.bounded_text("advocate_name", label="The advocate's name", max_length=200)
        if not form.has_errors:
            try:
                services.defence_check_in(hearing=hearing, defendant=representation.defendant,
                                          advocate_name=form.text("advocate_name"), actor=actor)
                messages.success(request, f"{form.text('advocate_name')} checked in for {representation.defendant.name}")
                return redirect("web:defence-case", defendant_id=representation.defendant_id)
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="advocate_name", renames={"name": "advocate_name"})
            except ApplicationError as error:
                if error.status == 403:
                    raise PermissionDenied(error.detail) from error
                form.add_general(error.detail)
        status = 422
    return render(request, "web/defence/check_in.html", {
        "form": form, "representation": representation, "hearing": hearing,
        "dates": sorted(d.date for d in hearing.hearing_days.all()),
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def defence_disassociate(request: HttpRequest, defendant_id) -> HttpResponse:
    actor = _defence_actor(request)
    representation = _representation_or_404(actor, defendant_id)
    if representation.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only the firm on record can disassociate")
    if request.method == "POST":
        services.representation_end(representation=representation, actor=actor,
                                    reason=request.POST.get("reason", "")[:300])
        messages.success(request, f"You are no longer on record for {representation.defendant.name}")
        return redirect("web:defence-home")
    return render(request, "web/defence/disassociate.html", {"representation": representation})


@never_cache
@login_required
@require_http_methods(["POST"])
def defence_grant(request: HttpRequest, defendant_id) -> HttpResponse:
    """Give an advocate (by username) access to the case or to one hearing."""
    actor = _defence_actor(request)
    representation = _representation_or_404(actor, defendant_id)
    if representation.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only the firm on record can give an advocate access")
    form = FormState(request.POST.dict(), order=["advocate", "hearing"])
    advocate = User.objects.select_related("organisation").filter(username__iexact=form.text("advocate")).first()
    hearing = None
    if not form.text("advocate"):
        form.add("advocate", "Enter the advocate's username")
    elif advocate is None:
        form.add("advocate", "No advocate has that username")
    if form.text("hearing"):
        try:
            hearing = selectors.hearing_of_defendant(representation=representation, hearing_id=form.text("hearing"))
        except NotFound:
            form.add("hearing", "Choose one of the defendant's hearings")
    if not form.has_errors:
        try:
            services.advocate_grant(representation=representation, advocate=advocate, actor=actor, hearing=hearing)
            messages.success(request, f"{advocate.get_full_name() or advocate.username} can now see "
                                      f"{'the case' if hearing is None else 'the hearing'}")
            return redirect("web:defence-case", defendant_id=representation.defendant_id)
        except ApplicationError as error:
            form.add_service_errors(error, fallback="advocate")
    context = _case_context(actor, representation)
    context["grant_form"] = form
    return render(request, "web/defence/case.html", context, status=422)


@never_cache
@login_required
@require_http_methods(["POST"])
def defence_grant_revoke(request: HttpRequest, defendant_id, grant_id) -> HttpResponse:
    actor = _defence_actor(request)
    representation = _representation_or_404(actor, defendant_id)
    grant = AdvocateGrant.objects.filter(pk=grant_id, representation=representation).first()
    if grant is None or representation.organisation_id != actor.organisation_id:
        raise Http404("No such grant")
    services.advocate_grant_revoke(grant=grant, actor=actor)
    messages.success(request, "Access revoked")
    return redirect("web:defence-case", defendant_id=representation.defendant_id)


urlpatterns = [
    path("", defence_home, name="defence-home"),
    path("associate/", defence_associate, name="defence-associate"),
    path("defendants/<uuid:defendant_id>/", defence_case, name="defence-case"),
    path("defendants/<uuid:defendant_id>/hearings/<uuid:hearing_id>/check-in/", defence_check_in,
         name="defence-check-in"),
    path("defendants/<uuid:defendant_id>/disassociate/", defence_disassociate, name="defence-disassociate"),
    path("defendants/<uuid:defendant_id>/advocates/", defence_grant, name="defence-grant"),
    path("defendants/<uuid:defendant_id>/advocates/<uuid:grant_id>/revoke/", defence_grant_revoke,
         name="defence-grant-revoke"),
]
