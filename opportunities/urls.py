from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_new, name="new"),
    path("offers/", views.offers, name="offers"),
    path("uptake/", views.uptake, name="uptake"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/interest/", views.interest, name="interest"),
    path("<int:pk>/plan-action/<int:employee_pk>/", views.plan_action, name="plan_action"),
    path("interest/<int:interest_pk>/place/", views.place_taken, name="place_taken"),
]
