from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "courts.hearings"
    label = "hearings"
