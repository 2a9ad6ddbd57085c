from django.urls import path

from .views import booking, detail, lists, record, reviews, sign_off, start, supporters

app_name = "conversations"

urlpatterns = [
    path("", lists.conversation_list, name="list"),
    path("new/", start.conversation_start, name="start"),
    path("nominate/", start.nominate, name="nominate"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("supporters/", supporters.directory, name="supporters"),
    path("supporters/profile/", supporters.profile_edit, name="supporter_profile"),
    path("<int:pk>/", detail.conversation_detail, name="detail"),
    path("<int:pk>/book/", booking.book, name="book"),
    path("<int:pk>/decline/", booking.decline, name="decline"),
    path("<int:pk>/cancel/", booking.cancel, name="cancel"),
    path("<int:pk>/invite.ics", booking.invite, name="invite"),
    path("<int:pk>/reschedule/", reviews.reschedule, name="reschedule"),
    path("<int:pk>/close-review/", reviews.close, name="close_review"),
    path("<int:pk>/checklist/", detail.checklist, name="checklist"),
    path("<int:pk>/hold/", sign_off.hold, name="hold"),
    path("<int:pk>/sign-off/", sign_off.sign_off, name="sign_off"),
    path("<int:pk>/prepare/", record.prepare, name="prepare"),
    path("<int:pk>/record/", record.record, name="record"),
    path("<int:pk>/private-notes/", record.private_notes, name="private_notes"),
    path("<int:pk>/comments/", record.comments, name="comments"),
]
