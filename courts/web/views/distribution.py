"""Results to partners: the partners an administrator configures, what each shared hearing owed each
partner and where every message is, the undelivered worklist with replay, and a warrant's PDF.

Court staff only (access by role comes later). Views read strings into values and call
`courts.distribution`'s services and selectors; the rules and their messages live there. A partner's
secret is write-only: typed once (creating, or rotating the key), stored encrypted, never shown."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.cases.models import Defendant
from courts.common.clock import now
from courts.common.errors import Conflict, NotFound, ValidationFailed
from courts.common.ids import get_by_uuid_or_not_found
from courts.custody import selectors as custody
from courts.distribution import selectors, services
from courts.distribution.enums import AuthKind, DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.listing import selectors as listing
from courts.web.forms import FormState
from courts.web.views.common import posted_version, staff_actor_of

PARTNER_FIELDS = ["name", "kind", "format", "url", "auth_kind", "key_id", "secret", "court_centres", "prison_names",
                  "contact_email", "max_attempts", "deadline_minutes", "timeout_seconds", "is_active"]
ROTATE_FIELDS = ["new_key_id", "new_secret"]
ROTATE_RENAMES = {"key_id": "new_key_id", "secret": "new_secret"}
NUMBERS = {"max_attempts": "Attempts", "deadline_minutes": "The deadline", "timeout_seconds": "The timeout"}
SEPARATORS = re.compile(r"[\s,;]+")
YES_NO = [("yes", "Yes"), ("no", "No")]


def _partner_or_404(partner_id: object) -> Partner:
    try:
        return get_by_uuid_or_not_found(Partner.objects.select_related("organisation"), partner_id, "partner")
    except NotFound as error:
        raise Http404(error.detail) from error


def _counts(partner: Partner) -> dict[str, int]:
    counts = {state: 0 for state in DeliveryState.values}
    for state in Delivery.objects.filter(partner=partner).values_list("state", flat=True):
        counts[state] += 1
    return counts


def _values(partner: Partner) -> dict[str, str]:
    """The edit form filled from the stored partner (never its secret)."""
    return {
        "name": partner.name, "kind": partner.kind, "format": partner.format, "url": partner.url,
        "auth_kind": partner.auth_kind, "key_id": partner.key_id, "court_centres": "\n".join(partner.court_centres),
        "prison_names": "\n".join(partner.prison_names), "contact_email": partner.contact_email,
        "max_attempts": str(partner.max_attempts), "deadline_minutes": str(partner.deadline_minutes),
        "timeout_seconds": str(partner.timeout_seconds), "is_active": "yes" if partner.is_active else "no",
        "expected_version": str(partner.version),
    }


def _spec(form: FormState) -> services.PartnerSpec:
    """The posted strings as a partner's configuration; what cannot be read is marked on its field."""
    numbers = {}
    for name, label in NUMBERS.items():
        text = form.text(name)
        if not text.isdigit():
            form.add(name, f"{label} must be a whole number")
        numbers[name] = int(text) if text.isdigit() and len(text) < 7 else 0
    active = form.text("is_active")
    if active not in ("yes", "no"):
        form.add("is_active", "Choose whether messages are sent to this partner")
    return services.PartnerSpec(
        name=form.bounded_text("name", label="Name", max_length=200),
        kind=form.text("kind"), format=form.text("format"),
        url=form.bounded_text("url", label="URL", max_length=500),
        auth_kind=form.text("auth_kind"),
        key_id=form.bounded_text("key_id", label="Key id", max_length=100),
        secret=form.value("secret").strip(),
        court_centres=[c.upper() for c in SEPARATORS.split(form.text("court_centres")) if c],
        prison_names=[line.strip() for line in form.value("prison_names").splitlines() if line.strip()],
        contact_email=form.bounded_text("contact_email", label="Email", max_length=254),
        is_active=active != "no", **numbers)


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {"kinds": PartnerKind.choices, "formats": MessageFormat.choices, "auth_kinds": AuthKind.choices,
            "yes_no": YES_NO}


def _forget_secrets(form: FormState) -> None:
    """A typed secret is never sent back to the browser, even beside an error."""
    for name in ("secret", "new_secret"):
        form.data.pop(name, None)


# --- Partners ------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def partners_page(request: HttpRequest) -> HttpResponse:
    staff_actor_of(request)
    organisations = {p.pk: p for p in Partner.objects.select_related("organisation")}
    rows = [{**row, "partner": organisations[row["partner"].pk]} for row in selectors.partner_states()]
    return render(request, "web/distribution/partners.html", {
        "rows": rows, "undelivered": selectors.undelivered_count()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partner_create_page(request: HttpRequest) -> HttpResponse:
    actor = staff_actor_of(request)
    if request.method == "GET":
        form = FormState({"auth_kind": AuthKind.HMAC_SHA256, "max_attempts": "12", "deadline_minutes": "60",
                          "timeout_seconds": "10", "is_active": "yes"}, order=PARTNER_FIELDS)
    else:
        form = FormState(request.POST.dict(), order=PARTNER_FIELDS)
        spec = _spec(form)
        if form.has_errors:
            form.add_collected(services.partner_spec_errors(spec, creating=True))
        else:
            try:
                partner = services.partner_create(spec=spec, actor=actor)
            except ValidationFailed as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{partner.name} added: messages for new results will be sent to it")
                return redirect("web:partner-detail", partner_id=partner.id)
        _forget_secrets(form)
    return render(request, "web/distribution/partner_form.html", {"form": form, "partner": None, **_choices()},
                  status=422 if form.has_errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partner_page(request: HttpRequest, partner_id) -> HttpResponse:
    """Change a partner's configuration (action=save) or rotate its signing key (action=rotate)."""
    actor = staff_actor_of(request)
    partner = _partner_or_404(partner_id)
    form = FormState(_values(partner), order=PARTNER_FIELDS)
    rotate = FormState({"expected_version": str(partner.version)}, order=ROTATE_FIELDS)
    stale = False
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "rotate":
                rotate = FormState(request.POST.dict(), order=ROTATE_FIELDS)
                key_id = rotate.bounded_text("new_key_id", label="Key id", max_length=100)
                if not rotate.has_errors:
                    partner = services.partner_secret_rotate(
                        partner=partner, key_id=key_id, secret=rotate.value("new_secret").strip(),
                        expected_version=posted_version(request), actor=actor)
                    messages.success(request, f"Signing key rotated: messages are now signed with {partner.key_id}"
                                              + (f" and {partner.previous_key_id}" if partner.previous_key_id else ""))
                    return redirect("web:partner-detail", partner_id=partner.id)
            else:
                form = FormState(request.POST.dict(), order=PARTNER_FIELDS)
                spec = _spec(form)
                if form.has_errors:
                    form.add_collected(services.partner_spec_errors(spec, creating=False))
                else:
                    partner = services.partner_update(partner=partner, spec=spec,
                                                      expected_version=posted_version(request), actor=actor)
                    messages.success(request, f"{partner.name} saved")
                    return redirect("web:partner-detail", partner_id=partner.id)
        except ValidationFailed as error:
            (rotate if action == "rotate" else form).add_service_errors(error, renames=ROTATE_RENAMES
                                                                        if action == "rotate" else None)
        except Conflict as error:
            stale = True
            partner = _partner_or_404(partner_id)
            target = rotate if action == "rotate" else form
            target.add_general(error.detail)
            target.data["expected_version"] = str(partner.version)
        _forget_secrets(form)
        _forget_secrets(rotate)
    status = 409 if stale else 422 if form.has_errors or rotate.has_errors else 200
    return render(request, "web/distribution/partner_form.html", {
        "form": form, "rotate": rotate, "partner": partner, "counts": _counts(partner), **_choices(),
    }, status=status)


# --- Deliveries ----------------------------------------------------------------------------------


def _defendants(deliveries: list[Delivery]) -> dict:
    ids = {d.defendant_id for d in deliveries if d.defendant_id}
    return {d.id: d for d in Defendant.objects.filter(pk__in=ids).select_related("case")}


def _rows(deliveries: list[Delivery]) -> list[dict]:
    defendants = _defendants(deliveries)
    at = now()
    return [{"delivery": d, "defendant": defendants.get(d.defendant_id),
             "overdue": d.state == DeliveryState.DEAD or (d.state != DeliveryState.DELIVERED and d.deadline < at)}
            for d in deliveries]


@never_cache
@login_required
@require_http_methods(["GET"])
def hearing_deliveries_page(request: HttpRequest, hearing_id) -> HttpResponse:
    staff_actor_of(request)
    try:
        hearing = listing.hearing_get(hearing_id=hearing_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    deliveries = selectors.deliveries_for_hearing(hearing_id=hearing.id)
    days = list(hearing.hearing_days.all())
    return render(request, "web/distribution/hearing_deliveries.html", {
        "hearing": hearing, "days": days, "rows": _rows(deliveries),
        "cases": sorted({link.case.urn for link in hearing.hearing_defendants.select_related("case")}),
        "next": request.path,
    })


def _worklist(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    form = FormState(request.GET.dict(), order=["partner"])
    if error:
        form.add_general(error)
    partners = list(Partner.objects.all())
    chosen = None
    if form.text("partner"):
        chosen = next((p for p in partners if str(p.id) == form.text("partner")), None)
        if chosen is None:
            form.add("partner", "Choose a partner from the list")
            status = 422
    from courts.web.views.common import actor_of
    from courts.web.views.worklists import centre_scope

    # The messages about the actor's court centres' hearings (every centre's for national staff).
    rows = _rows(selectors.undelivered_worklist(partner_id=chosen.id if chosen else None,
                                                court_centre_ids=centre_scope(actor_of(request))))
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["delivery"].partner, []).append(row)
    return render(request, "web/distribution/undelivered.html", {
        "form": form, "groups": sorted(groups.items(), key=lambda item: item[0].name), "total": len(rows),
        "partner": chosen, "partners": [(str(p.id), p.name) for p in partners], "next": request.get_full_path(),
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def undelivered_page(request: HttpRequest) -> HttpResponse:
    staff_actor_of(request)
    return _worklist(request)


@never_cache
@login_required
@require_http_methods(["POST"])
def delivery_replay_page(request: HttpRequest, delivery_id) -> HttpResponse:
    """Send a message again, then back to the page the button was on (the worklist by default)."""
    actor = staff_actor_of(request)
    try:
        delivery = get_by_uuid_or_not_found(Delivery.objects.select_related("partner"), delivery_id, "delivery")
    except NotFound as error:
        raise Http404(error.detail) from error
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("web:deliveries-undelivered")
    try:
        services.delivery_replay(delivery=delivery, actor=actor)
    except Conflict as error:
        return _worklist(request, error=f"{delivery.partner.name}: {error.detail}", status=409)
    messages.success(request, f"The message to {delivery.partner.name} will be sent again now")
    return redirect(back)


# --- Warrants ------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def warrant_pdf_page(request: HttpRequest, warrant_id) -> HttpResponse:
    from courts.distribution.pcr import warrant_pdf

    actor = staff_actor_of(request)
    try:
        warrant = custody.warrant_get(warrant_id=warrant_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    if not actor.works_at(warrant.hearing.court_centre_id):
        raise Http404("No such warrant")
    response = HttpResponse(warrant_pdf(warrant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warrant-{warrant.id}.pdf"'
    return response
