from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "courts.publishing"
    label = "publishing"
    verbose_name = "Court lists"
