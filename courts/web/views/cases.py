"""Creating a case and the case at a glance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.models import Organisation
from courts.audit.selectors import event_list_for_case
from courts.audit.services import access_log_record
from courts.cases import selectors
from courts.cases.enums import AnticipatedPlea, DefendantKind, InitiationType, IntakeChannel
from courts.cases.intake import validate_case
from courts.cases.services import case_intake
from courts.common.errors import Conflict, ErrorCollector, ValidationFailed
from courts.custody import selectors as custody
from courts.reference import selectors as reference
from courts.web import forms
from courts.web.views.common import actor_of, case_or_404, defendant_form_context, staff_actor_of
from courts.web.views.restrictions import restriction_rows


def _case_form_context(form: forms.FormState, rows: int, prosecutors: list[Organisation]) -> dict:
    return {
        "form": form,
        "rows": rows,
        "offences": [form.row(forms.offence_row_prefix(i), i + 1) for i in range(rows)],
        "can_add_offence": rows < forms.MAX_OFFENCE_ROWS,
        "prosecutors": [(str(p.public_id), p.name) for p in prosecutors],
        "initiation_types": InitiationType.choices,
        "anticipated_pleas": AnticipatedPlea.choices,
        "court_centres": [(c.ou_code, f"{c.name} ({c.ou_code})") for c in reference.court_centre_list()],
        **defendant_form_context(form),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    actor = staff_actor_of(request)
    prosecutors = list(selectors.case_prosecutor_list_for_actor(actor=actor))
    if request.method == "GET":
        form = forms.FormState({"offence_count": "1"}, order=forms.case_create_order(1))
        return render(request, "web/case_create.html", _case_form_context(form, 1, prosecutors))

    data = request.POST.dict()
    rows = forms.offence_row_count(data)
    action = request.POST.get("action", "create")
    if action == "add_offence":
        rows = min(rows + 1, forms.MAX_OFFENCE_ROWS)
        data["offence_count"] = str(rows)
        form = forms.FormState(data, order=forms.case_create_order(rows))
        return render(request, "web/case_create.html", _case_form_context(form, rows, prosecutors))
    if action.startswith("remove_offence-"):
        index = action.removeprefix("remove_offence-")
        data = forms.offence_rows_without(data, rows, int(index) if index.isdigit() else rows)
        rows = forms.offence_row_count(data)
        form = forms.FormState(data, order=forms.case_create_order(rows))
        return render(request, "web/case_create.html", _case_form_context(form, rows, prosecutors))

    form = forms.FormState(data, order=forms.case_create_order(rows))
    prosecutor = next((p for p in prosecutors if str(p.public_id) == form.text("prosecutor")), None)
    if prosecutor is None:
        form.add("prosecutor", "Select the prosecutor")
    # An unanswered question gets the page's own words; a wrong answer gets the case rules' message.
    if not form.text("initiation_type"):
        form.add("initiation_type", "Select how proceedings started")
    if not form.text("court_centre"):
        form.add("court_centre", "Select the court centre")
    intake = forms.case_intake_from_form(form, rows)
    if form.has_errors:
        # Show every problem at once: the form's own (dates, lengths, choices) and the case rules'.
        errors = ErrorCollector()
        validate_case(intake, errors)
        form.add_collected(errors)
    else:
        try:
            outcome = case_intake(intake=intake, prosecutor=prosecutor, actor=actor, channel=IntakeChannel.STAFF)
            messages.success(request, f"Case {outcome.case.urn} created")
            return redirect("web:case-detail", case_id=outcome.case.id)
        except ValidationFailed as error:
            form.add_service_errors(error)
        except Conflict as error:
            if error.code == "duplicate_urn":
                form.add("urn", error.detail)
            else:
                form.add_general(error.detail)
    return render(request, "web/case_create.html", _case_form_context(form, rows, prosecutors), status=422)


@never_cache
@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id)
    access_log_record(actor=actor, case_ids=[case.id], what="web:case-detail")
    bail = reference.bail_status_descriptions()
    all_defendants = list(case.defendants.all())
    ctls = custody.ctl_for_defendants(defendant_ids=[d.id for d in all_defendants])
    remands = custody.remand_current_for_defendants(defendant_ids=[d.id for d in all_defendants])
    defendants = [
        {
            "defendant": d,
            "is_organisation": d.kind == DefendantKind.ORGANISATION,
            "bail_description": bail.get(d.bail_status, ""),
            "remand": remands.get(d.id),
            "remand_description": bail.get(remands[d.id].status, "") if d.id in remands else "",
            "offences": [{"offence": o, "ctl": ctls.get(o.id)} for o in d.offences.all()],
        }
        for d in all_defendants
    ]
    # The defence sees its own defendants' part of a case, not the whole history (co-defendants' names).
    events = list(event_list_for_case(case_id=case.id)) if selectors.case_full_view_for_actor(
        actor=actor, case=case) else []
    events.reverse()
    return render(request, "web/case_detail.html", {
        "case": case,
        "defendants": defendants,
        "events": events,
        "can_amend": actor.is_court_staff,
        "restrictions": [row for row in restriction_rows(case) if not row.restriction.lifted_at],
    })
