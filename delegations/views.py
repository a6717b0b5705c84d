from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting


def participant_list(request, slug):
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    return render(request, "delegations/participant_list.html", {"meeting": meeting})
