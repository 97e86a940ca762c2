from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "courts.reference"
    label = "reference"
