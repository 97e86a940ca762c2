from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "courts.common"
    label = "common"
