import uuid

from courts.accounts.models import Organisation, User
from courts.common.actor import Actor
from courts.common.errors import NotFound, PermissionDenied


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



# Organisation users: what an organisation administrator sees of their own organisation's people.

NOT_ORGANISATION_ADMIN = "Only an administrator of your organisation can manage its people"


def organisation_administered_by(*, actor: Actor) -> Organisation:
    """The organisation `actor` administers. PermissionDenied for anyone who is not an active organisation
    administrator of an organisation other than HMCTS (whose people are managed through court roles)."""
    from courts.accounts.enums import OrganisationKind

    admin = (User.objects.select_related("organisation").filter(pk=actor.user_id, is_active=True).first()
             if actor.user_id is not None else None)
    if (admin is None or not admin.is_organisation_admin or admin.organisation is None
            or admin.organisation.kind == OrganisationKind.HMCTS):
        raise PermissionDenied(NOT_ORGANISATION_ADMIN)
    return admin.organisation


def organisation_users_for_actor(*, actor: Actor) -> tuple[Organisation, list[User]]:
    """The actor's organisation and its people (active first, then by name)."""
    organisation = organisation_administered_by(actor=actor)
    people = list(User.objects.filter(organisation=organisation)
                  .order_by("-is_active", "last_name", "first_name", "username"))
    return organisation, people


def organisation_user_get_for_actor(*, actor: Actor, user_id: object) -> tuple[Organisation, User]:
    """One person of the actor's organisation by public id: NotFound for anyone else's."""
    organisation = organisation_administered_by(actor=actor)
    try:
        public_id = uuid.UUID(str(user_id))
    except ValueError:
        raise NotFound("No such person in your organisation") from None
    user = User.objects.filter(organisation=organisation, public_id=public_id).first()
    if user is None:
        raise NotFound("No such person in your organisation")
    return organisation, user
