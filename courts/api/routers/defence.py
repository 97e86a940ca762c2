"""The defence: associate a firm to a defendant (URN, surname, date of birth), list the defendants it
is on record for, and disassociate, through `courts.defence.services`."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from courts.common.errors import NotFound
from courts.defence import selectors, services
from courts.defence.models import Representation

router = Router(tags=["defence"])


class AssociationIn(Schema):
    urn: str = Field(max_length=20)
    surname: str = Field(max_length=100)
    dateOfBirth: dt.date | None = None


class AssociationOut(Schema):
    representationId: str
    defendantId: str
    caseId: str
    caseUrn: str
    defendantName: str
    organisation: str
    onRecordSince: dt.datetime

    @classmethod
    def of(cls, r: Representation) -> "AssociationOut":
        return cls(representationId=str(r.id), defendantId=str(r.defendant_id), caseId=str(r.case_id),
                   caseUrn=r.case.urn, defendantName=r.defendant.name, organisation=r.organisation.name,
                   onRecordSince=r.started_at)


@router.post("/defence/associations", response={201: AssociationOut}, operation_id="defence_associate",
             summary="Put the caller's defence firm on record for a defendant, named by URN, surname and date of "
                     "birth. A wrong guess: 422 no_match (the same whether the URN exists or not); throttled: 429; "
                     "another firm on record: 409 already_represented")
def defence_associate(request: HttpRequest, response: HttpResponse, payload: AssociationIn):
    representation = services.representation_associate(
        urn=payload.urn, surname=payload.surname, date_of_birth=payload.dateOfBirth, actor=request.auth)
    representation = selectors.representation_get_for_actor(actor=request.auth,
                                                             defendant_id=representation.defendant_id)
    response["Location"] = f"/api/v1/defence/associations/{representation.id}"
    return Status(201, AssociationOut.of(representation))


@router.get("/defence/associations", response=list[AssociationOut], operation_id="defence_associations",
            summary="The defendants the caller acts for (its firm on record, or an advocate's grants)")
def defence_associations(request: HttpRequest):
    return [AssociationOut.of(r) for r in selectors.representation_list_for_actor(actor=request.auth)]


def _own(request: HttpRequest, representation_id: str) -> Representation:
    for r in selectors.representation_list_for_actor(actor=request.auth):
        if str(r.id) == representation_id and r.organisation_id == request.auth.organisation_id:
            return r
    raise NotFound("No such association")


@router.delete("/defence/associations/{representation_id}", response={204: None},
               operation_id="defence_disassociate",
               summary="Disassociate: the firm is no longer on record, and it and its advocates lose access at once")
def defence_disassociate(request: HttpRequest, representation_id: str):
    services.representation_end(representation=_own(request, representation_id), actor=request.auth)
    return Status(204, None)
