from django.apps import AppConfig


class TalentAppConfig(AppConfig):
    name = "talentapp"
    verbose_name = "Talent conversations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_signed_in

        user_logged_in.connect(session_signed_in, dispatch_uid="talentapp.session_signed_in")
