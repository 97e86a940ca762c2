from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courts.accounts"
    label = "accounts"
