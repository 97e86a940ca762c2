from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "courts.distribution"
    label = "distribution"
