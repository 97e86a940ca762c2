from courts.accounts.models import Organisation
from courts.common.errors import NotFound


def organisation_get(*, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such organisation")
    return organisation


def prosecutor_get(*, code_or_name: str) -> Organisation:
    """A prosecuting organisation by its authority code or name, for staff acting on its behalf."""
    from django.db.models import Q

    from courts.accounts.enums import OrganisationKind
    from courts.common.errors import FieldError, ValidationFailed

    value = code_or_name.strip()
    organisation = (
        Organisation.objects.filter(kind=OrganisationKind.PROSECUTOR)
        .filter(Q(prosecuting_authority_code__iexact=value) | Q(name__iexact=value))
        .first()
        if value
        else None
    )
    if organisation is None:
        raise ValidationFailed(
            "Name the prosecutor",
            errors=[FieldError("prosecutingAuthority", f"No prosecuting organisation is called {value!r}"
                               if value else "Enter the prosecuting authority")],
        )
    return organisation
