import hashlib
import secrets

from django.db import transaction

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import ApiToken, Organisation, User
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import ValidationFailed

TOKEN_PREFIX = "crt_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def organisation_get_or_create(
    *, name: str, kind: OrganisationKind, actor: Actor, prosecuting_authority_code: str = "", ou_code: str = ""
) -> tuple[Organisation, bool]:
    name = name.strip()
    if not name:
        raise ValidationFailed("An organisation needs a name")
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation:
        return organisation, False
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        prosecuting_authority_code=prosecuting_authority_code or name.upper()[:40],
        ou_code=ou_code,
    )
    event_record(
        type=EventType.ORGANISATION_CREATED,
        actor=actor,
        summary=f"Organisation {organisation.name} created",
        payload={"organisation_id": str(organisation.public_id), "name": organisation.name, "kind": kind},
    )
    return organisation, True


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, actor: Actor) -> tuple[ApiToken, str]:
    """Create a token and return it with its one-time plain value."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        organisation=organisation,
        name=name or "default",
        prefix=token[:12],
        digest=token_digest(token),
        created_at=now(),
    )
    event_record(
        type=EventType.API_TOKEN_CREATED,
        actor=actor,
        summary=f"API token {api_token.prefix}… created for {organisation.name}",
        payload={"organisation_id": str(organisation.public_id), "prefix": api_token.prefix},
    )
    return api_token, token


def api_token_authenticate(*, token: str) -> ApiToken | None:
    """The live token matching `token`, or None. Records when it was last used (at most once a minute)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    api_token = (
        ApiToken.objects.select_related("organisation")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if api_token is None:
        return None
    moment = now()
    if api_token.last_used_at is None or (moment - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=moment)
    return api_token


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    actor: Actor,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(f"A user called {username} already exists")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                organisation=organisation)
    user.set_password(password)
    user.save()
    event_record(
        type=EventType.USER_CREATED,
        actor=actor,
        summary=f"User {username} created",
        payload={"user_id": str(user.public_id), "username": username},
    )
    return user


def actor_for_user(user: User, *, ip_address: str | None = None) -> Actor:
    organisation = user.organisation
    return Actor(
        label=user.get_full_name() or user.username,
        user_id=user.pk,
        organisation_id=organisation.pk if organisation else None,
        is_court_staff=organisation is None or organisation.kind == OrganisationKind.HMCTS,
        ip_address=ip_address,
    )


def actor_for_token(api_token: ApiToken, *, ip_address: str | None = None) -> Actor:
    return Actor(
        label=f"{api_token.organisation.name} (API {api_token.prefix}…)",
        organisation_id=api_token.organisation_id,
        # An HMCTS system (bulk resulting, a court's own tooling) acts with the court's authority.
        is_court_staff=api_token.organisation.kind == OrganisationKind.HMCTS,
        ip_address=ip_address,
    )
