from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "courts.web"
    label = "web"
