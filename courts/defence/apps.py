from django.apps import AppConfig


class DefenceConfig(AppConfig):
    name = "courts.defence"
    label = "defence"
