"""Amending a case: a defendant's details, adding an offence, withdrawing one, correcting its wording.

Each page carries the case version it was rendered with (`expected_version`). A write against a case
that someone changed since then is refused with the service's message and the user's input is kept.
The page then carries the case's current version, so that submitting again is a deliberate choice
made after the warning, never a silent overwrite."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.cases import selectors
from courts.cases.enums import DefendantKind, OffenceStatus
from courts.cases.intake import validate_defendant, validate_offence
from courts.cases.models import ProsecutionCase
from courts.cases.services import defendant_update, offence_add, offence_withdraw, offence_wording_correct
from courts.common.actor import Actor
from courts.common.errors import Conflict, ErrorCollector, ValidationFailed
from courts.web import forms
from courts.web.views.common import (
    defendant_form_context,
    defendant_or_404,
    offence_or_404,
    posted_version,
    staff_actor_of,
)


def _case_url(case: ProsecutionCase, anchor: str = "") -> str:
    url = reverse("web:case-detail", kwargs={"case_id": case.id})
    return f"{url}#{anchor}" if anchor else url


def _on_conflict(form: forms.FormState, error: Conflict, actor: Actor, case: ProsecutionCase) -> bool:
    form.add_general(error.detail)
    if error.code == "stale_version":
        current = selectors.case_get_for_actor(actor=actor, case_id=case.id)
        form.data["expected_version"] = str(current.version)
        return True
    return False


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def defendant_edit(request: HttpRequest, case_id, defendant_id) -> HttpResponse:
    actor = staff_actor_of(request)
    defendant = defendant_or_404(actor, case_id, defendant_id)
    case = defendant.case
    order = forms.defendant_field_order(defendant.kind)
    conflict = False
    if request.method == "GET":
        form = forms.FormState({**forms.defendant_values(defendant), "expected_version": str(case.version)},
                               order=order)
    else:
        form = forms.FormState(request.POST.dict(), order=order)
        details = forms.defendant_intake(form, kind=defendant.kind)
        if form.has_errors:
            errors = ErrorCollector()
            validate_defendant(details, errors, with_offences=False)
            form.add_collected(errors)
        else:
            try:
                defendant_update(defendant=defendant, actor=actor, expected_version=posted_version(request),
                                 details=details)
                messages.success(request, f"{defendant.name}'s details amended")
                return redirect(_case_url(case, f"defendant-{defendant.id}"))
            except ValidationFailed as error:
                form.add_service_errors(error)
            except Conflict as error:
                conflict = _on_conflict(form, error, actor, case)
    return render(request, "web/defendant_edit.html", {
        "form": form,
        "case": case,
        "defendant": defendant,
        "is_organisation": defendant.kind == DefendantKind.ORGANISATION,
        "conflict": conflict,
        **defendant_form_context(form),
    }, status=_status(form, conflict))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def offence_create(request: HttpRequest, case_id, defendant_id) -> HttpResponse:
    actor = staff_actor_of(request)
    defendant = defendant_or_404(actor, case_id, defendant_id)
    case = defendant.case
    conflict = False
    if request.method == "GET":
        form = forms.FormState({"expected_version": str(case.version)}, order=forms.OFFENCE_FIELDS)
    else:
        form = forms.FormState(request.POST.dict(), order=forms.OFFENCE_FIELDS)
        offence = forms.offence_intake(form)
        if form.has_errors:
            errors = ErrorCollector()
            validate_offence(offence, errors)
            form.add_collected(errors)
        else:
            try:
                row = offence_add(defendant=defendant, actor=actor, expected_version=posted_version(request),
                                  offence=offence)
                messages.success(request, f"Offence {row.sequence} ({row.cjs_code}) added for {defendant.name}")
                return redirect(_case_url(case, f"offence-{row.id}"))
            except ValidationFailed as error:
                form.add_service_errors(error)
            except Conflict as error:
                conflict = _on_conflict(form, error, actor, case)
    return render(request, "web/offence_add.html", {
        "form": form,
        "case": case,
        "defendant": defendant,
        "row": form.row(""),
        "conflict": conflict,
    }, status=_status(form, conflict))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def offence_withdraw_page(request: HttpRequest, case_id, offence_id) -> HttpResponse:
    actor = staff_actor_of(request)
    offence = offence_or_404(actor, case_id, offence_id)
    case = offence.defendant.case
    conflict = False
    if request.method == "GET":
        form = forms.FormState({"expected_version": str(case.version)}, order=["reason"])
    else:
        form = forms.FormState(request.POST.dict(), order=["reason"])
        reason = form.bounded_text("reason", label="The reason", max_length=forms.LIMITS["reason"][1])
        if not form.has_errors:
            try:
                offence_withdraw(offence=offence, actor=actor, expected_version=posted_version(request),
                                 reason=reason)
                messages.success(request, f"Offence {offence.sequence} ({offence.cjs_code}) withdrawn")
                return redirect(_case_url(case, f"offence-{offence.id}"))
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="reason")
            except Conflict as error:
                conflict = _on_conflict(form, error, actor, case)
    return render(request, "web/offence_withdraw.html", {
        "form": form,
        "case": case,
        "offence": offence,
        "is_withdrawn": offence.status == OffenceStatus.WITHDRAWN,
        "conflict": conflict,
    }, status=_status(form, conflict))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def offence_wording(request: HttpRequest, case_id, offence_id) -> HttpResponse:
    actor = staff_actor_of(request)
    offence = offence_or_404(actor, case_id, offence_id)
    case = offence.defendant.case
    conflict = False
    if request.method == "GET":
        form = forms.FormState({"wording": offence.wording, "expected_version": str(case.version)},
                               order=["wording"])
    else:
        form = forms.FormState(request.POST.dict(), order=["wording"])
        wording = form.bounded_text("wording", label="Offence wording", max_length=forms.LIMITS["wording"][1])
        if not form.has_errors:
            try:
                offence_wording_correct(offence=offence, actor=actor, expected_version=posted_version(request),
                                        wording=wording)
                messages.success(request, f"Wording of offence {offence.sequence} ({offence.cjs_code}) corrected")
                return redirect(_case_url(case, f"offence-{offence.id}"))
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="wording")
            except Conflict as error:
                conflict = _on_conflict(form, error, actor, case)
    return render(request, "web/offence_wording.html", {
        "form": form,
        "case": case,
        "offence": offence,
        "conflict": conflict,
    }, status=_status(form, conflict))


def _status(form: forms.FormState, conflict: bool) -> int:
    if conflict:
        return 409
    return 422 if form.has_errors else 200
