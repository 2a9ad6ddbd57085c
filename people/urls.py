from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/import/", views.staff_import, name="staff_import"),
    path("people/import/<int:pk>/", views.staff_import_job, name="staff_import_job"),
    path("people/import/<int:pk>/confirm/", views.staff_import_confirm, name="staff_import_confirm"),
]
