from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<slug:slug>/items/<int:pk>/", views.agenda_item_detail, name="agenda_item_detail"
    ),
]
