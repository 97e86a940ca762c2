from django.apps import AppConfig


class ListingConfig(AppConfig):
    name = "courts.listing"
    label = "listing"
