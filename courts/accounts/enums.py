from django.db import models


class OrganisationKind(models.TextChoices):
    HMCTS = "hmcts", "HMCTS"
    PROSECUTOR = "prosecutor", "Prosecutor"
    DEFENCE = "defence", "Defence"
    PARTNER = "partner", "Partner agency"
