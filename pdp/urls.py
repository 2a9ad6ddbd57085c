from django.urls import path

from .views import edit, exports, plans, sign_off

app_name = "pdp"

urlpatterns = [
    path("", plans.mine, name="mine"),
    path("plans/", plans.plan_list, name="list"),
    path("people/<int:pk>/", plans.person_plans, name="person"),
    path("people/<int:employee_pk>/start/", edit.start, name="start"),
    path("from-conversation/<int:conversation_pk>/", edit.start_from_conversation, name="start_from_conversation"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/pdf/", plans.plan_pdf_download, name="pdf"),
    path("<int:pk>/history/", plans.plan_history, name="history"),
    path("<int:pk>/way-forward/", edit.way_forward, name="way_forward"),
    path("<int:pk>/comments/", edit.comments, name="comments"),
    path("<int:pk>/sign-off/", sign_off.sign_off, name="sign_off"),
    path("<int:pk>/objectives/new/", edit.objective_add, name="objective_add"),
    path("<int:pk>/objectives/<int:objective_pk>/", edit.objective_edit, name="objective_edit"),
    path("<int:pk>/actions/new/", edit.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/", edit.action_edit, name="action_edit"),
    path("<int:pk>/actions/<int:action_pk>/progress/", edit.action_progress, name="action_progress"),
    path("exports/", exports.exports, name="exports"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
