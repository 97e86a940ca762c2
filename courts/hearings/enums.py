from django.db import models


class AttendanceStatus(models.TextChoices):
    PRESENT = "PRESENT", "Present"
    ABSENT = "ABSENT", "Absent"
    VIDEO = "VIDEO", "By video from custody"
    EXCUSED = "EXCUSED", "Excused attendance"


class CourtLogKind(models.TextChoices):
    CASE_CALLED = "CASE_CALLED", "Case called"
    HEARING_STARTED = "HEARING_STARTED", "Hearing started"
    ADJOURNED = "ADJOURNED", "Adjourned"
    RESUMED = "RESUMED", "Resumed"
    HEARING_ENDED = "HEARING_ENDED", "Hearing ended"
    NOTE = "NOTE", "Note"


class AdvocateRole(models.TextChoices):
    PROSECUTION = "PROSECUTION", "Prosecution"
    DEFENCE = "DEFENCE", "Defence"


class DecisionKind(models.TextChoices):
    """What is decided per offence besides results (Common Platform's plea, indicatedPlea,
    allocationDecision and verdict)."""

    PLEA = "PLEA", "Plea"
    INDICATED_PLEA = "INDICATED_PLEA", "Indicated plea"
    ALLOCATION = "ALLOCATION", "Allocation decision"
    VERDICT = "VERDICT", "Verdict"


class PleaValue(models.TextChoices):
    GUILTY = "GUILTY", "Guilty"
    NOT_GUILTY = "NOT_GUILTY", "Not guilty"
    NO_PLEA = "NO_PLEA", "No plea"


class IndicatedPleaValue(models.TextChoices):
    INDICATED_GUILTY = "INDICATED_GUILTY", "Indicated guilty"
    INDICATED_NOT_GUILTY = "INDICATED_NOT_GUILTY", "Indicated not guilty"
    NO_INDICATION = "NO_INDICATION", "No indication"


class AllocationValue(models.TextChoices):
    # Magistrates' Courts Act 1980 ss.19-21 and Crime and Disorder Act 1998 s.51.
    SUMMARY_TRIAL = "SUMMARY_TRIAL", "Magistrates' court trial (defendant consents to summary trial)"
    SENT_CROWN = "SENT_CROWN", "Sent to the Crown Court (court directs trial by jury)"
    ELECTED_CROWN = "ELECTED_CROWN", "Sent to the Crown Court (defendant elects trial by jury)"


class VerdictValue(models.TextChoices):
    GUILTY = "GUILTY", "Guilty"
    NOT_GUILTY = "NOT_GUILTY", "Not guilty"


DECISION_CHOICES = {
    DecisionKind.PLEA: PleaValue,
    DecisionKind.INDICATED_PLEA: IndicatedPleaValue,
    DecisionKind.ALLOCATION: AllocationValue,
    DecisionKind.VERDICT: VerdictValue,
}


class AmendmentStatus(models.TextChoices):
    PENDING = "PENDING", "Waiting for approval"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
