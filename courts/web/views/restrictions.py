"""Reporting restrictions on a case: court staff of the case's court record and lift them
(`reporting_restriction_impose`, `reporting_restriction_lift`). One page, two forms; the services
decide who may (court staff of the case's court) and what is valid."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.cases.models import Defendant, Offence, ProsecutionCase, ReportingRestriction
from courts.cases.restrictions import BASES
from courts.cases.services import reporting_restriction_impose, reporting_restriction_lift
from courts.common.errors import Conflict, PermissionDenied, ValidationFailed
from courts.web import forms
from courts.web.views.common import case_or_404, posted_version, staff_actor_of


@dataclass(frozen=True)
class RestrictionRow:
    restriction: ReportingRestriction
    label: str
    act: str
    applies_to: str


def _targets(case: ProsecutionCase) -> tuple[dict, dict]:
    """What a restriction can be recorded on, as (value → text) and (value → (defendant, offence))."""
    texts: dict = {"case": "The whole case"}
    objects: dict = {"case": (None, None)}
    for d in case.defendants.all():
        texts[f"defendant:{d.id}"] = f"Defendant {d.sequence}: {d.name}"
        objects[f"defendant:{d.id}"] = (d, None)
        for o in d.offences.all():
            texts[f"offence:{o.id}"] = f"Offence {o.sequence} of {d.name}: {o.cjs_code} {o.title}"
            objects[f"offence:{o.id}"] = (d, o)
    return texts, objects


def restriction_rows(case: ProsecutionCase) -> list[RestrictionRow]:
    """The case's recorded restrictions (prefetched by `case_get_for_actor`) as the pages show them,
    leaving out those on defendants the viewer does not see."""
    defendants: dict = {d.id: d for d in case.defendants.all()}
    offences: dict = {o.id: o for d in defendants.values() for o in d.offences.all()}
    rows = []
    for r in case.restrictions.all():
        if r.defendant_id is not None and r.defendant_id not in defendants:
            continue
        d: Defendant | None = defendants.get(r.defendant_id)
        o: Offence | None = offences.get(r.offence_id)
        applies_to = (f"Offence {o.sequence} of {d.name}" if o is not None and d is not None else
                      f"Defendant {d.sequence}: {d.name}" if d is not None else "The whole case")
        basis = BASES.get(r.basis)
        rows.append(RestrictionRow(restriction=r, label=basis.label if basis else r.basis,
                                   act=basis.act if basis else "", applies_to=applies_to))
    return rows


FIELDS = ["basis", "target", "details", "reason"]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_restrictions(request: HttpRequest, case_id) -> HttpResponse:
    actor = staff_actor_of(request)
    case = case_or_404(actor, case_id)
    texts, objects = _targets(case)
    form = forms.FormState({"expected_version": str(case.version)}, order=FIELDS)
    lifting = ""
    status = 200
    if request.method == "POST":
        form = forms.FormState(request.POST.dict(), order=FIELDS)
        try:
            if form.text("action") == "lift":
                lifting = form.text("restriction")
                restriction = next((r for r in case.restrictions.all() if str(r.id) == lifting), None)
                if restriction is None:
                    form.add("reason", "Choose a restriction of this case to lift")
                else:
                    reason = form.bounded_text("reason", label="The reason", max_length=500)
                    if not form.has_errors:
                        reporting_restriction_lift(restriction=restriction, actor=actor,
                                                   expected_version=posted_version(request), reason=reason)
                        messages.success(request, "Reporting restriction lifted")
                        return redirect(reverse("web:case-restrictions", kwargs={"case_id": case.id}))
            else:
                target = form.text("target") or "case"
                if target not in objects:
                    form.add("target", "Choose the case, a defendant or an offence of this case")
                if not form.text("basis"):
                    form.add("basis", "Choose the restriction the court made")
                details = form.bounded_text("details", label="The terms of the order", max_length=500)
                if not form.has_errors:
                    defendant, offence = objects[target]
                    reporting_restriction_impose(case=case, actor=actor, expected_version=posted_version(request),
                                                 basis=form.text("basis"), defendant=defendant, offence=offence,
                                                 details=details)
                    messages.success(request, "Reporting restriction recorded")
                    return redirect(reverse("web:case-restrictions", kwargs={"case_id": case.id}))
        except ValidationFailed as error:
            form.add_service_errors(error, fallback="reason" if lifting else "basis")
        except (Conflict, PermissionDenied) as error:
            form.add_general(error.detail)
            status = 403 if isinstance(error, PermissionDenied) else 409
            if getattr(error, "code", "") == "stale_version":
                form.data["expected_version"] = str(ProsecutionCase.objects.get(pk=case.pk).version)
        if form.has_errors and status == 200:
            status = 422
    return render(request, "web/case_restrictions.html", {
        "form": form,
        "case": case,
        "rows": restriction_rows(case),
        "lifting": lifting,
        "bases": [(b.code, f"{b.label}: {b.act}") for b in BASES.values()],
        "targets": list(texts.items()),
    }, status=status)
