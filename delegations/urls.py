from django.urls import path

from . import views

urlpatterns = [
    path("meetings/<slug:slug>/delegations/", views.participant_list, name="participant_list"),
]
