from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.feed_ics, name="feed"),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/liaison/", views.liaison, name="liaison"),
    path("<slug:slug>/calendar.ics", views.meeting_ics, name="ics"),
]
