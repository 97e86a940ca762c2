import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from courts.accounts import totp
from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.models import (
    ApiToken,
    JudicialOffice,
    Organisation,
    SignInFailure,
    StaffRole,
    TotpDevice,
    User,
)
from courts.accounts.selectors import NOT_ORGANISATION_ADMIN, organisation_administered_by
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import LONDON, now
from courts.common.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from courts.common.secrets import seal, unseal
from courts.reference.models import CourtCentre

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


def _access_of(user: User) -> tuple[frozenset, frozenset, frozenset]:
    """(court centre ids, (centre id, role) pairs, judicial office kinds): one query, kept on the user
    object for the rest of the request (a role revoked takes effect on the next request)."""
    cached = user.__dict__.get("_courts_access")
    if cached is not None:
        return cached
    rows: list[tuple] = []
    if user.pk is not None:
        staff = StaffRole.objects.filter(user_id=user.pk).values_list("court_centre_id", "role")
        judicial = JudicialOffice.objects.filter(user_id=user.pk).values_list("court_centres__id", "kind")
        rows = list(staff.union(judicial, all=True))
    judicial_kinds = set(JudicialOfficeKind.values)
    centres = frozenset(centre for centre, _ in rows if centre is not None)
    roles = frozenset((centre, role) for centre, role in rows if role not in judicial_kinds)
    offices = frozenset(kind for _, kind in rows if kind in judicial_kinds)
    user.__dict__["_courts_access"] = access = (centres, roles, offices)
    return access


def actor_for_user(user: User, *, ip_address: str | None = None) -> Actor:
    organisation = user.organisation
    centres, roles, offices = _access_of(user)
    hmcts = organisation is None or organisation.kind == OrganisationKind.HMCTS
    return Actor(
        label=user.get_full_name() or user.username,
        user_id=user.pk,
        organisation_id=organisation.pk if organisation else None,
        organisation_kind=organisation.kind if organisation else OrganisationKind.HMCTS,
        # A judicial office holder with no staff role reads; recording is the court staff's.
        is_court_staff=hmcts and (bool(roles) or user.national_access or not offices),
        national=hmcts and user.national_access,
        ip_address=ip_address,
        court_centre_ids=centres,
        roles=roles,
        judicial_offices=offices,
    )


def actor_for_token(api_token: ApiToken, *, ip_address: str | None = None) -> Actor:
    return Actor(
        label=f"{api_token.organisation.name} (API {api_token.prefix}…)",
        organisation_id=api_token.organisation_id,
        organisation_kind=api_token.organisation.kind,
        # An HMCTS system (bulk resulting, a court's own tooling) acts with the court's authority,
        # nationally.
        is_court_staff=api_token.organisation.kind == OrganisationKind.HMCTS,
        national=api_token.organisation.kind == OrganisationKind.HMCTS,
        ip_address=ip_address,
    )


# --- Roles per court centre -------------------------------------------------------------------------

def _require_court_administrator(actor: Actor, court_centres: Iterable[CourtCentre], doing: str) -> None:
    """Only the court administrator of each centre concerned (or the operator's commands) may."""
    if actor.is_system:
        return
    for centre in court_centres:
        if not actor.has_role(StaffRoleKind.COURT_ADMINISTRATOR, centre.pk):
            raise PermissionDenied(f"Only a court administrator of {centre.name} can {doing}")


def _require_hmcts(user: User) -> None:
    if user.organisation is not None and user.organisation.kind != OrganisationKind.HMCTS:
        raise ValidationFailed(f"{user.username} is not HMCTS staff: court roles are for HMCTS staff")


@transaction.atomic
def staff_role_grant(*, user: User, court_centre: CourtCentre, role: StaffRoleKind | str, actor: Actor
                     ) -> StaffRole:
    role = StaffRoleKind(role)
    _require_court_administrator(actor, [court_centre], "grant roles there")
    _require_hmcts(user)
    existing = StaffRole.objects.filter(user=user, court_centre=court_centre, role=role).first()
    if existing:
        return existing
    staff_role = StaffRole.objects.create(user=user, court_centre=court_centre, role=role, granted_at=now())
    event_record(
        type=EventType.STAFF_ROLE_GRANTED,
        actor=actor,
        summary=f"{user.username} made {role.label.lower()} at {court_centre.name}",
        payload={"user_id": str(user.public_id), "username": user.username, "role": role.value,
                 "court_centre": court_centre.ou_code},
    )
    return staff_role


@transaction.atomic
def staff_role_revoke(*, user: User, court_centre: CourtCentre, role: StaffRoleKind | str, actor: Actor) -> None:
    role = StaffRoleKind(role)
    _require_court_administrator(actor, [court_centre], "revoke roles there")
    deleted, _ = StaffRole.objects.filter(user=user, court_centre=court_centre, role=role).delete()
    if not deleted:
        raise NotFound(f"{user.username} is not {role.label.lower()} at {court_centre.name}")
    event_record(
        type=EventType.STAFF_ROLE_REVOKED,
        actor=actor,
        summary=f"{user.username} no longer {role.label.lower()} at {court_centre.name}",
        payload={"user_id": str(user.public_id), "username": user.username, "role": role.value,
                 "court_centre": court_centre.ou_code},
    )


@transaction.atomic
def judicial_office_grant(*, user: User, kind: JudicialOfficeKind | str, court_centres: list[CourtCentre],
                          actor: Actor) -> JudicialOffice:
    """Record a judicial office holder, sitting at `court_centres` (added to any already recorded)."""
    kind = JudicialOfficeKind(kind)
    if not court_centres:
        raise ValidationFailed("Name at least one court centre where they sit")
    _require_court_administrator(actor, court_centres, "record judicial office holders there")
    _require_hmcts(user)
    office, _ = JudicialOffice.objects.get_or_create(user=user, kind=kind, defaults={"granted_at": now()})
    office.court_centres.add(*court_centres)
    event_record(
        type=EventType.JUDICIAL_OFFICE_GRANTED,
        actor=actor,
        summary=f"{user.username} sits as {kind.label.lower()} at {', '.join(c.name for c in court_centres)}",
        payload={"user_id": str(user.public_id), "username": user.username, "kind": kind.value,
                 "court_centres": [c.ou_code for c in court_centres]},
    )
    return office


@transaction.atomic
def judicial_office_revoke(*, user: User, kind: JudicialOfficeKind | str, actor: Actor) -> None:
    """Remove a judicial office: a court administrator of every centre where they sit (or the operator)."""
    kind = JudicialOfficeKind(kind)
    office = JudicialOffice.objects.filter(user=user, kind=kind).first()
    if office is None:
        raise NotFound(f"{user.username} holds no office of {kind.label.lower()}")
    centres = list(office.court_centres.all())
    _require_court_administrator(actor, centres, "remove judicial office holders there")
    office.delete()
    event_record(
        type=EventType.JUDICIAL_OFFICE_REVOKED,
        actor=actor,
        summary=f"{user.username} no longer sits as {kind.label.lower()}",
        payload={"user_id": str(user.public_id), "username": user.username, "kind": kind.value,
                 "court_centres": [c.ou_code for c in centres]},
    )


# --- Two-factor authentication (TOTP) ---------------------------------------------------------------

TOTP_PURPOSE = "courts.accounts.totp"
TOTP_ISSUER = "Courts"


def user_requires_two_factor(user: User) -> bool:
    """HMCTS staff and the judiciary sign in with a password and a code from an authenticator app."""
    actor = actor_for_user(user)
    return actor.is_court_staff or actor.is_judiciary


def totp_is_enrolled(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def totp_enrolment_begin(*, user: User) -> str:
    """The secret to show while setting up an authenticator: the pending one, or a new one. A person
    already set up must be reset by a court administrator first."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device and device.confirmed_at:
        raise Conflict("Two-factor authentication is already set up for this account")
    if device:
        return unseal(device.secret_encrypted, purpose=TOTP_PURPOSE)
    secret = totp.secret_generate()
    TotpDevice.objects.create(user=user, secret_encrypted=seal(secret, purpose=TOTP_PURPOSE), created_at=now())
    return secret


def totp_uri(*, user: User, secret: str) -> str:
    return totp.otpauth_uri(secret, account=user.username, issuer=TOTP_ISSUER)


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str, actor: Actor) -> bool:
    """Confirm the pending secret with a code from the app; True when it matched."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        return False
    step = totp.totp_match(unseal(device.secret_encrypted, purpose=TOTP_PURPOSE), code, now().timestamp())
    if step is None:
        return False
    device.confirmed_at = now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    event_record(
        type=EventType.TOTP_ENROLLED,
        actor=actor,
        summary=f"{user.username} set up two-factor authentication",
        payload={"user_id": str(user.public_id), "username": user.username},
    )
    return True


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """True when `code` is the current code of the person's confirmed authenticator and has not been
    used before (each code signs in once)."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = totp.totp_match(unseal(device.secret_encrypted, purpose=TOTP_PURPOSE), code, now().timestamp(),
                           after_step=device.last_step)
    if step is None:
        return False
    TotpDevice.objects.filter(pk=device.pk).update(last_step=step)
    return True


@transaction.atomic
def totp_reset(*, user: User, actor: Actor) -> None:
    """Recovery for a lost phone: forget the person's authenticator; they set up a new one at their
    next sign-in. A court administrator of a centre where the person works (or the operator)."""
    centres, _, _ = _access_of(user)
    if not actor.is_system and not any(actor.has_role(StaffRoleKind.COURT_ADMINISTRATOR, c) for c in centres):
        raise PermissionDenied("Only a court administrator of a court centre where they work can reset this")
    TotpDevice.objects.filter(user=user).delete()
    event_record(
        type=EventType.TOTP_RESET,
        actor=actor,
        summary=f"Two-factor authentication reset for {user.username}",
        payload={"user_id": str(user.public_id), "username": user.username},
    )


@transaction.atomic
def national_access_set(*, user: User, national: bool, actor: Actor) -> None:
    """Let an HMCTS person see every court centre's cases (a national team), or stop. The operator's
    command only: no page grants it."""
    if not actor.is_system:
        raise PermissionDenied("Only the operator can grant national access")
    if user.organisation is not None and user.organisation.kind != OrganisationKind.HMCTS:
        raise ValidationFailed("National access is for HMCTS people", errors=[FieldError("user", "Not HMCTS")])
    User.objects.filter(pk=user.pk).update(national_access=national)
    event_record(
        type=EventType.NATIONAL_ACCESS_CHANGED,
        actor=actor,
        summary=f"National access {'granted to' if national else 'withdrawn from'} {user.username}",
        payload={"user_id": str(user.public_id), "username": user.username, "national": national},
    )


# --- Failed sign-ins --------------------------------------------------------------------------------

SIGN_IN_WINDOW = dt.timedelta(minutes=15)
SIGN_IN_FAILURES_PER_USERNAME = 5
# Higher per address: a court building's staff share one address behind its proxy.
SIGN_IN_FAILURES_PER_ADDRESS = 20


def sign_in_throttled(*, username: str, ip_address: str | None) -> bool:
    """Whether sign-in is paused for this username or address: asked before the password is checked,
    so that the answer is the same whether or not the account exists."""
    since = now() - SIGN_IN_WINDOW
    recent = SignInFailure.objects.filter(occurred_at__gte=since)
    if recent.filter(username=username.strip().lower()).count() >= SIGN_IN_FAILURES_PER_USERNAME:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= SIGN_IN_FAILURES_PER_ADDRESS


@transaction.atomic
def sign_in_failure_record(*, username: str, ip_address: str | None) -> None:
    """A wrong password or code. The failure that pauses a username is recorded in the event log."""
    moment = now()
    key = username.strip().lower()[:150]
    SignInFailure.objects.filter(occurred_at__lt=moment - dt.timedelta(days=1)).delete()
    SignInFailure.objects.create(username=key, ip_address=ip_address or None, occurred_at=moment)
    count = SignInFailure.objects.filter(username=key, occurred_at__gte=moment - SIGN_IN_WINDOW).count()
    if count == SIGN_IN_FAILURES_PER_USERNAME:
        event_record(
            type=EventType.SIGN_IN_THROTTLED,
            actor=Actor(label=f"sign-in from {ip_address or 'an unknown address'}", ip_address=ip_address),
            summary=f"Sign-in paused for {key[:60]} after {count} failures",
            payload={"username": key, "ip_address": ip_address, "failures": count},
        )


@transaction.atomic
def sign_in_succeeded(*, user: User) -> None:
    """A complete sign-in: the username's failures are forgotten (an address's only age out), and a
    warning of inactivity no longer stands."""
    SignInFailure.objects.filter(username=user.username.lower()).delete()
    if user.inactivity_warned_at is not None:
        User.objects.filter(pk=user.pk).update(inactivity_warned_at=None)
        user.inactivity_warned_at = None


# --- Inactive accounts ------------------------------------------------------------------------------

INACTIVE_WARN_AFTER = dt.timedelta(days=60)
INACTIVE_DISABLE_AFTER_WARNING = dt.timedelta(days=90)


@dataclass
class AccountsReview:
    warned: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


def _warning_message(user: User, disable_on: dt.date) -> dict[str, str]:
    name = user.get_full_name() or user.username
    return {
        "to": user.email,
        "subject": "Your courts account will be disabled unless you sign in",
        "body": (f"Dear {name},\n\nNobody has signed in to the courts account {user.username} for more than "
                 f"{INACTIVE_WARN_AFTER.days} days. If you still need it, sign in before "
                 f"{disable_on:%-d %B %Y}; otherwise it will be disabled on that date. A disabled account "
                 "is never deleted: your court administrator can enable it again."),
    }


def accounts_review(*, actor: Actor) -> AccountsReview:
    """Warn everyone who has not signed in for 60 days; disable (never delete) those still inactive 90
    days after their warning. Each warning and each disabling is an event; the warning's message is
    recorded in the event as it would be sent."""
    moment = now()
    review = AccountsReview()
    for user in User.objects.filter(is_active=True).order_by("username"):
        last_seen = user.last_login or user.date_joined
        with transaction.atomic():
            if user.inactivity_warned_at is None:
                if last_seen <= moment - INACTIVE_WARN_AFTER:
                    user.inactivity_warned_at = moment
                    user.save(update_fields=["inactivity_warned_at"])
                    disable_on = (moment + INACTIVE_DISABLE_AFTER_WARNING).astimezone(LONDON).date()
                    event_record(
                        type=EventType.INACTIVITY_WARNED,
                        actor=actor,
                        summary=f"{user.username} warned: no sign-in since {last_seen:%Y-%m-%d}",
                        payload={"user_id": str(user.public_id), "username": user.username,
                                 "last_seen": last_seen, "disable_on": disable_on,
                                 "message": _warning_message(user, disable_on)},
                    )
                    review.warned.append(user.username)
            elif (user.inactivity_warned_at <= moment - INACTIVE_DISABLE_AFTER_WARNING
                  and last_seen < user.inactivity_warned_at):
                user.is_active = False
                user.save(update_fields=["is_active"])
                event_record(
                    type=EventType.USER_DISABLED_FOR_INACTIVITY,
                    actor=actor,
                    summary=f"{user.username} disabled: no sign-in since {last_seen:%Y-%m-%d}",
                    payload={"user_id": str(user.public_id), "username": user.username,
                             "last_seen": last_seen, "warned_at": user.inactivity_warned_at},
                )
                review.disabled.append(user.username)
    return review


# --- Organisation users -----------------------------------------------------------------------------
# An organisation administrator (`User.is_organisation_admin`) manages the people of their own
# organisation (a defence firm, a prosecutor, chambers, probation, police, a prison, a YOT; never HMCTS,
# whose people are managed through court roles): joiners, movers and leavers. A joiner has no password:
# the administrator is shown a one-time set-up code, once, which the person uses to choose their password
# (`account_set_up`). Leaving never deletes anyone.

SETUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud or typed safely
SETUP_CODE_LENGTH = 20  # 100 bits
SETUP_CODE_VALID_FOR = dt.timedelta(days=7)
SETUP_CODE_FAILED = "Enter the username and set-up code your administrator gave you"
SETUP_CODE_EXPIRED = "This set-up code has expired. Ask your administrator for a new one"
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,148}[a-z0-9]\Z")


def setup_code_digest(code: str) -> str:
    """The stored form of a set-up code: spaces, dashes and case ignored."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _setup_code_issue(user: User) -> str:
    """A new code for `user` (replacing any other), with no password until it is used; the caller saves."""
    code = "".join(secrets.choice(SETUP_CODE_ALPHABET) for _ in range(SETUP_CODE_LENGTH))
    user.set_unusable_password()
    user.setup_code_digest = setup_code_digest(code)
    user.setup_code_expires_at = now() + SETUP_CODE_VALID_FOR
    return "-".join(code[i:i + 4] for i in range(0, SETUP_CODE_LENGTH, 4))


def _require_admin_of(actor: Actor, user: User) -> Organisation:
    """The organisation of `user`, locked for the change, if `actor` administers it (or is the operator).
    A person of another organisation is not found."""
    if actor.is_system:
        if user.organisation_id is None:
            raise ValidationFailed(f"{user.username} belongs to no organisation")
        organisation = user.organisation
    else:
        organisation = organisation_administered_by(actor=actor)
        if user.organisation_id != organisation.pk:
            raise NotFound("No such person in your organisation")
    if organisation.kind == OrganisationKind.HMCTS:
        raise ValidationFailed("HMCTS people are managed through court roles, not as organisation users")
    # One change to an organisation's people at a time: two administrators cannot each remove the other.
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _other_active_admins(organisation: Organisation, user: User) -> bool:
    return User.objects.filter(organisation=organisation, is_active=True, is_organisation_admin=True
                               ).exclude(pk=user.pk).exists()


def _person_details(*, first_name: str, last_name: str, email: str, errors: ErrorCollector) -> tuple[str, str, str]:
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    for field_name, value, label in (("first_name", first_name, "first name"),
                                     ("last_name", last_name, "last name")):
        if not value:
            errors.add(field_name, f"Enter their {label}")
        elif len(value) > 150:
            errors.add(field_name, f"{label.capitalize()} must be 150 characters or fewer")
    if not email:
        errors.add("email", "Enter their email address")
    else:
        try:
            validate_email(email)
            if len(email) > 254:
                raise DjangoValidationError("too long")
        except DjangoValidationError:
            errors.add("email", "Enter an email address in the correct format, like name@example.com")
    return first_name, last_name, email


@transaction.atomic
def organisation_user_add(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    actor: Actor,
    organisation: Organisation | None = None,
    is_organisation_admin: bool = False,
) -> tuple[User, str]:
    """A joiner: a person of the administrator's organisation (the operator names the organisation),
    with no password and a set-up code valid for 7 days. Returns the person and the code, which is shown
    once and never stored."""
    if actor.is_system:
        if organisation is None:
            raise ValidationFailed("Name the organisation")
    else:
        own = organisation_administered_by(actor=actor)
        if organisation is not None and organisation.pk != own.pk:
            raise PermissionDenied(NOT_ORGANISATION_ADMIN)
        organisation = own
    if organisation.kind == OrganisationKind.HMCTS:
        raise ValidationFailed("HMCTS people are managed through court roles, not as organisation users")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    errors = ErrorCollector()
    username = username.strip().lower()
    if not username:
        errors.add("username", "Enter a username")
    elif not USERNAME_PATTERN.match(username):
        errors.add("username", "Username must be 3 to 150 characters: letters, numbers and . _ @ + - only, "
                               "starting and ending with a letter or number")
    elif User.objects.filter(username__iexact=username).exists():
        errors.add("username", "That username is taken: choose another", code="taken")
    first_name, last_name, email = _person_details(first_name=first_name, last_name=last_name, email=email,
                                                   errors=errors)
    errors.raise_if_any("The person's details are not valid")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                organisation=organisation, is_organisation_admin=is_organisation_admin)
    code = _setup_code_issue(user)
    user.save()
    event_record(
        type=EventType.USER_JOINED,
        actor=actor,
        summary=f"{username} added to {organisation.name}{' as an administrator' if is_organisation_admin else ''}",
        payload={"user_id": str(user.public_id), "username": username, "organisation": organisation.name,
                 "organisation_id": str(organisation.public_id), "is_organisation_admin": is_organisation_admin,
                 "setup_code_expires_at": user.setup_code_expires_at},
    )
    return user, code


@transaction.atomic
def organisation_user_update(
    *,
    user: User,
    actor: Actor,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    is_organisation_admin: bool | None = None,
) -> User:
    """A mover: their name, email address or whether they administer the organisation (None: unchanged).
    The organisation keeps at least one active administrator."""
    organisation = _require_admin_of(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors = ErrorCollector()
    new_first, new_last, new_email = _person_details(
        first_name=user.first_name if first_name is None else first_name,
        last_name=user.last_name if last_name is None else last_name,
        email=user.email if email is None else email, errors=errors)
    # Only what is being changed must be valid: a person recorded before email addresses were asked for
    # can still be made an administrator.
    stored = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    new_values = {"first_name": new_first, "last_name": new_last, "email": new_email}
    errors.errors = [e for e in errors.errors if new_values[e.field] != stored[e.field]]
    errors.raise_if_any("The person's details are not valid")
    admin = user.is_organisation_admin if is_organisation_admin is None else is_organisation_admin
    if admin and not user.is_active and not user.is_organisation_admin:
        raise ValidationFailed("Reactivate them before making them an administrator",
                               errors=[FieldError("is_organisation_admin",
                                                  "Reactivate them before making them an administrator")])
    if (user.is_organisation_admin and not admin and user.is_active and not actor.is_system
            and not _other_active_admins(organisation, user)):
        raise Conflict(f"{user.get_full_name() or user.username} is the only administrator of {organisation.name}: "
                       "make someone else an administrator first", code="last_admin")
    changes = {name: [old, new] for name, old, new in (
        ("first_name", user.first_name, new_first), ("last_name", user.last_name, new_last),
        ("email", user.email, new_email), ("is_organisation_admin", user.is_organisation_admin, admin),
    ) if old != new}
    if not changes:
        return user
    user.first_name, user.last_name, user.email, user.is_organisation_admin = new_first, new_last, new_email, admin
    user.save(update_fields=["first_name", "last_name", "email", "is_organisation_admin"])
    admin_change = ""
    if "is_organisation_admin" in changes:
        admin_change = ": made an administrator" if admin else ": no longer an administrator"
    event_record(
        type=EventType.USER_CHANGED,
        actor=actor,
        summary=f"{user.username} of {organisation.name} changed{admin_change}",
        payload={"user_id": str(user.public_id), "username": user.username, "organisation": organisation.name,
                 "changes": changes},
    )
    return user


@transaction.atomic
def organisation_user_deactivate(*, user: User, actor: Actor) -> User:
    """A leaver: never deleted. They cannot sign in, and their sessions end with their next request
    (inactive, and their password is gone so no session of theirs verifies again, even if reactivated);
    they stop being an administrator and every advocate's access they hold is revoked."""
    from courts.defence.services import advocate_grants_revoke_for_leaver

    organisation = _require_admin_of(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(f"{user.get_full_name() or user.username} has already left", code="already_left")
    if not actor.is_system:
        if user.pk == actor.user_id:
            raise Conflict("You cannot mark yourself as left: ask another administrator", code="self")
        if user.is_organisation_admin and not _other_active_admins(organisation, user):
            raise Conflict(f"{user.get_full_name() or user.username} is the only administrator of "
                           f"{organisation.name}: make someone else an administrator first", code="last_admin")
    user.is_active = False
    user.left_at = now()
    user.is_organisation_admin = False
    user.set_unusable_password()
    user.setup_code_digest, user.setup_code_expires_at = "", None
    user.save(update_fields=["is_active", "left_at", "is_organisation_admin", "password", "setup_code_digest",
                             "setup_code_expires_at"])
    revoked = advocate_grants_revoke_for_leaver(advocate=user, actor=actor)
    event_record(
        type=EventType.USER_LEFT,
        actor=actor,
        summary=f"{user.username} left {organisation.name}",
        payload={"user_id": str(user.public_id), "username": user.username, "organisation": organisation.name,
                 "advocate_grants_revoked": revoked},
    )
    return user


@transaction.atomic
def organisation_user_reactivate(*, user: User, actor: Actor) -> tuple[User, str]:
    """A leaver (or a person disabled for inactivity) comes back: active again with no password and a new
    set-up code, shown once. Their administrator's role and advocates' grants are not restored."""
    organisation = _require_admin_of(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise Conflict(f"{user.get_full_name() or user.username} is already active", code="already_active")
    user.is_active = True
    user.left_at = None
    user.inactivity_warned_at = None
    code = _setup_code_issue(user)
    user.save(update_fields=["is_active", "left_at", "inactivity_warned_at", "password", "setup_code_digest",
                             "setup_code_expires_at"])
    event_record(
        type=EventType.USER_REACTIVATED,
        actor=actor,
        summary=f"{user.username} of {organisation.name} reactivated",
        payload={"user_id": str(user.public_id), "username": user.username, "organisation": organisation.name,
                 "setup_code_expires_at": user.setup_code_expires_at},
    )
    return user, code


@transaction.atomic
def organisation_user_setup_code_reissue(*, user: User, actor: Actor) -> tuple[User, str]:
    """A new set-up code (the first expired, or the person forgot their password): their password stops
    working at once and any earlier code is void. Shown once."""
    organisation = _require_admin_of(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(f"{user.get_full_name() or user.username} has left: reactivate them instead",
                       code="left")
    code = _setup_code_issue(user)
    user.save(update_fields=["password", "setup_code_digest", "setup_code_expires_at"])
    event_record(
        type=EventType.SETUP_CODE_ISSUED,
        actor=actor,
        summary=f"New set-up code for {user.username} of {organisation.name}",
        payload={"user_id": str(user.public_id), "username": user.username, "organisation": organisation.name,
                 "setup_code_expires_at": user.setup_code_expires_at},
    )
    return user, code


@transaction.atomic
def account_set_up(*, username: str, code: str, password: str, ip_address: str | None = None) -> User:
    """The person chooses their password with their set-up code (once, within 7 days). A wrong username
    or code gets one message whichever was wrong; the caller counts it as a failed sign-in."""
    digest = setup_code_digest(code)
    user = (User.objects.select_for_update(of=("self",)).select_related("organisation")
            .filter(username__iexact=username.strip(), is_active=True).exclude(setup_code_digest="").first())
    if user is None or not code.strip() or not hmac.compare_digest(user.setup_code_digest, digest):
        raise ValidationFailed(SETUP_CODE_FAILED, errors=[FieldError("code", SETUP_CODE_FAILED, "no_match")])
    if user.setup_code_expires_at is None or user.setup_code_expires_at <= now():
        raise ValidationFailed(SETUP_CODE_EXPIRED, errors=[FieldError("code", SETUP_CODE_EXPIRED, "expired")])
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationFailed("Choose a stronger password",
                               errors=[FieldError("password", message) for message in error.messages]) from error
    user.set_password(password)
    user.setup_code_digest, user.setup_code_expires_at = "", None
    user.save(update_fields=["password", "setup_code_digest", "setup_code_expires_at"])
    event_record(
        type=EventType.ACCOUNT_SET_UP,
        actor=actor_for_user(user, ip_address=ip_address),
        summary=f"{user.username} set up their account",
        payload={"user_id": str(user.public_id), "username": user.username},
    )
    return user
