"""The Celery app. Uses Redis at REDIS_URL; without it, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentapp.settings")

app = Celery("talentapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
