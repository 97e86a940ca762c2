import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from courts.accounts.enums import OrganisationKind


class Organisation(models.Model):
    """A body that uses the system: HMCTS, a prosecuting authority, a defence firm, a partner agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # Prosecutors: the authority code shown on cases (e.g. CPS, TFL) and its OU code, if any.
    prosecuting_authority_code = models.CharField(max_length=40, blank=True)
    ou_code = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)


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
