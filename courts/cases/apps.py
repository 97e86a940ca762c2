from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "courts.cases"
    label = "cases"
