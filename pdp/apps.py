from django.apps import AppConfig


class PdpConfig(AppConfig):
    name = "pdp"
    verbose_name = "Development plans"
