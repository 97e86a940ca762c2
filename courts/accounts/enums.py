from django.db import models


class OrganisationKind(models.TextChoices):
    HMCTS = "hmcts", "HMCTS"
    PROSECUTOR = "prosecutor", "Prosecutor"
    DEFENCE = "defence", "Defence"
    PARTNER = "partner", "Partner agency"
    # A barrister is a one-person organisation of this kind (or a member of a set of chambers).
    CHAMBERS = "chambers", "Advocate's chambers"
    PROBATION = "probation", "Probation"
    POLICE = "police", "Police"
    PRISON = "prison", "Prison"
    YOT = "yot", "Youth offending team"


class StaffRoleKind(models.TextChoices):
    """What an HMCTS person does at one court centre. A person may hold several, at several centres."""

    LEGAL_ADVISER = "legal_adviser", "Legal adviser"
    COURT_ASSOCIATE = "court_associate", "Court associate"
    LISTING_OFFICER = "listing_officer", "Listing officer"
    CASE_PROGRESSION_OFFICER = "case_progression_officer", "Case progression officer"
    COURT_ADMINISTRATOR = "court_administrator", "Court administrator"


class JudicialOfficeKind(models.TextChoices):
    MAGISTRATE = "magistrate", "Magistrate"
    DISTRICT_JUDGE = "district_judge", "District judge"
    JUDGE = "judge", "Judge"
    RECORDER = "recorder", "Recorder"
