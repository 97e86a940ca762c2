from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "courts.api"
    label = "api"
