from django.urls import path

from . import log_views, views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/pick/", views.people_pick, name="people_pick"),
    path("people/access-log/", log_views.access_log, name="access_log"),
    path("people/access-log/<int:pk>/", log_views.access_log_entry, name="access_log_entry"),
    path("people/import/", views.staff_import, name="staff_import"),
    path("people/import/<int:pk>/", views.staff_import_job, name="staff_import_job"),
    path("people/import/<int:pk>/confirm/", views.staff_import_confirm, name="staff_import_confirm"),
]
