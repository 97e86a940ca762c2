from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "courts.custody"
    label = "custody"
