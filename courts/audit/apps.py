from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "courts.audit"
    label = "audit"
