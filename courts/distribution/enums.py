from django.db import models


class PartnerKind(models.TextChoices):
    POLICE = "POLICE", "Police (police national computer)"
    PRISON = "PRISON", "Prison"
    PROBATION = "PROBATION", "Probation"
    LEGAL_AID = "LEGAL_AID", "Legal Aid Agency"
    DVLA = "DVLA", "DVLA"
    FINES = "FINES", "Fines enforcement"
    ELECTRONIC_MONITORING = "ELECTRONIC_MONITORING", "Electronic monitoring"
    YOUTH_OFFENDING = "YOUTH_OFFENDING", "Youth offending team"
    SUBSCRIBER = "SUBSCRIBER", "Subscriber"


class MessageFormat(models.TextChoices):
    SPI_RESULTS = "SPI_RESULTS", "Police SPI results (ResultedCaseMessage XML)"
    HEARING_RESULTED = "HEARING_RESULTED", "Common Platform hearing-resulted JSON"
    PRISON_COURT_REGISTER = "PRISON_COURT_REGISTER", "Prison court register and warrant (JSON)"
    DVLA_ENDORSEMENT = "DVLA_ENDORSEMENT", "DVLA endorsements and disqualifications (JSON)"
    FINANCIAL_IMPOSITIONS = "FINANCIAL_IMPOSITIONS", "Financial impositions for enforcement (JSON)"
    ELECTRONIC_MONITORING = "ELECTRONIC_MONITORING", "Curfews and tags (JSON)"


class AuthKind(models.TextChoices):
    NONE = "NONE", "None (network-level trust)"
    HMAC_SHA256 = "HMAC_SHA256", "HMAC-SHA256 signature over timestamp and body"
    BEARER = "BEARER", "Bearer token"


class DeliveryState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    RETRYING = "RETRYING", "Retrying"
    DELIVERED = "DELIVERED", "Delivered"
    DEAD = "DEAD", "Dead: needs a person"
