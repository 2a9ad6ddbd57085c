from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Talent conversations"

    def ready(self):
        from people.signals import staff_changed

        from .staff_changes import staff_changed_receive

        staff_changed.connect(staff_changed_receive, dispatch_uid="conversations.staff_changes")
