import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind


class Organisation(models.Model):
    """A body that uses the system: HMCTS, a prosecuting authority, a defence firm, a partner agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # Prosecutors: the authority code shown on cases (e.g. CPS, TFL) and its OU code, if any.
    prosecuting_authority_code = models.CharField(max_length=40, blank=True)
    ou_code = models.CharField(max_length=12, blank=True)
    # Probation, police and youth offending teams: the court centres of their area (what they see).
    court_centres = models.ManyToManyField("reference.CourtCentre", related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    # `courts accounts-review`: when this person was warned that the account will be disabled for
    # inactivity (cleared when they next sign in).
    inactivity_warned_at = models.DateTimeField(null=True, blank=True)
    # HMCTS only: sees the cases of every court centre (a national team, the operator's own accounts).
    # Set by the operator's command, never from a page.
    national_access = models.BooleanField(default=False)
    # Manages the people of their own organisation: joiners, movers, leavers.
    is_organisation_admin = models.BooleanField(default=False)
    # A joiner (or a person reactivated) has no password until they choose one with the one-time set-up
    # code their organisation administrator was shown: only its SHA-256 digest is kept, until it expires.
    setup_code_digest = models.CharField(max_length=64, blank=True, default="")
    setup_code_expires_at = models.DateTimeField(null=True, blank=True)
    # When their organisation administrator marked them as having left (`is_active` is then False).
    left_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A bearer token for an organisation's system. Only a SHA-256 digest is stored: the token itself
    is shown once, when created. Tokens are 256-bit random, so a fast hash is enough."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation} {self.prefix}…"


class StaffRole(models.Model):
    """What an HMCTS person does at one court centre. Granted and revoked by that centre's court
    administrator (`services.staff_role_grant`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    court_centre = models.ForeignKey("reference.CourtCentre", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40, choices=StaffRoleKind.choices)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "court_centre", "role"], name="staff_role_once_per_centre")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} at {self.court_centre_id}"


class JudicialOffice(models.Model):
    """A judicial office holder (magistrate, district judge, judge, recorder) and the court centres
    where they sit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="judicial_offices")
    kind = models.CharField(max_length=20, choices=JudicialOfficeKind.choices)
    court_centres = models.ManyToManyField("reference.CourtCentre", related_name="+", blank=True)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="judicial_office_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} ({self.kind})"


class TotpDevice(models.Model):
    """A person's TOTP authenticator (RFC 6238). The shared secret is encrypted at rest; a device is
    usable once confirmed with a code. `last_step` refuses a code used before (replay)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP for {self.user}"


class SignInFailure(models.Model):
    """One failed sign-in (wrong password or wrong code), counted per username and per address to
    throttle guessing. In the database so that every web process sees the same counts."""

    username = models.CharField(max_length=150, db_index=True)  # as typed, lower-cased
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
