from django.urls import path

from .views import calibration, dashboard, inclusion, movement, placements, succession

app_name = "grid"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("box/<int:performance>/<int:potential>/", dashboard.box, name="box"),
    path("not-placed/", dashboard.unplaced, name="unplaced"),
    path("export.csv", dashboard.export_csv, name="export_csv"),
    path("export.xlsx", dashboard.export_xlsx, name="export_xlsx"),
    path("inclusion/", inclusion.inclusion, name="inclusion"),
    path("inclusion/export.csv", inclusion.export_csv, name="inclusion_export_csv"),
    path("inclusion/export.xlsx", inclusion.export_xlsx, name="inclusion_export_xlsx"),
    path("inclusion/people/", inclusion.flagged_people, name="inclusion_people"),
    path("movement/", movement.movement, name="movement"),
    path("movement/people/", movement.movement_people, name="movement_people"),
    path("mine/", placements.mine, name="mine"),
    path("people/<int:pk>/", placements.person, name="person"),
    path("people/<int:pk>/place/", placements.place, name="place"),
    path("calibration/", calibration.sessions, name="calibration"),
    path("calibration/<int:pk>/", calibration.session_detail, name="calibration_session"),
    path("calibration/<int:pk>/close/", calibration.session_close, name="calibration_close"),
    path("succession/", succession.roles, name="succession"),
    path("succession/<int:pk>/", succession.role_detail, name="succession_role"),
    path(
        "succession/<int:pk>/successors/<int:successor_pk>/remove/",
        succession.successor_delete,
        name="successor_remove",
    ),
]
