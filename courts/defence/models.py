"""Representation: a defence firm on record for a defendant, the advocates it lets in, and the
attempts to associate (kept to throttle guessing).

A representation is current while `ended_at` is empty; at most one is current per defendant. Ending
one (disassociation or transfer) leaves the row as history and ends its advocates' grants with it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from courts.accounts.models import Organisation
from courts.cases.models import Defendant, ProsecutionCase
from courts.listing.models import Hearing


class Representation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="representations")
    case = models.ForeignKey(ProsecutionCase, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="representations")
    started_at = models.DateTimeField()
    started_by = models.CharField(max_length=200)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=200, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("defendant", condition=Q(ended_at__isnull=True),
                                    name="representation_one_current_per_defendant"),
        ]
        indexes = [models.Index(fields=["organisation", "ended_at"], name="representation_org_idx")]

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    def __str__(self) -> str:
        return f"{self.organisation} for {self.defendant}"


class AdvocateGrant(models.Model):
    """A firm on record lets an advocate (a user of another organisation, e.g. a barrister's chambers
    or a one-person organisation) see the case, or act at one hearing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    representation = models.ForeignKey(Representation, on_delete=models.PROTECT, related_name="grants")
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advocate_grants")
    # Empty: the whole case; otherwise this hearing only.
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField()
    granted_by = models.CharField(max_length=200)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["advocate", "revoked_at"], name="advocate_grant_user_idx")]


class AssociationAttempt(models.Model):
    """An unsuccessful association (no defendant matched): counted per user and per organisation to
    throttle guessing. Nothing of the guess is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user_id = models.BigIntegerField(null=True, blank=True)
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "attempted_at"], name="association_attempt_org_idx")]
