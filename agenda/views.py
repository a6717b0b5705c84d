from django.http import Http404
from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting

from .models import AgendaItem


def home(request):
    meeting = Meeting.objects.current()
    if meeting is None:
        return render(request, "meetings/no_meeting.html")
    return meeting_detail(request, slug=meeting.slug)


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


def agenda_item_detail(request, slug, pk):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "parent"), pk=pk, meeting__slug=slug
    )
    if not item.meeting.is_public:
        raise Http404
    return render(request, "agenda/item_detail.html", {"item": item, "meeting": item.meeting})
