"""`{% date_range start end %}`: "7–8 April 2025", "30 April – 2 May 2025", "7 April 2025"."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def date_range(start: datetime.date, end: datetime.date) -> str:
    last = date_format(end, "j F Y")
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        first = date_format(start, "j")
        return pgettext("days of one month", "%(first)s–%(last)s") % {"first": first, "last": last}
    first = date_format(start, "j F" if start.year == end.year else "j F Y")
    return pgettext("dates across months", "%(first)s – %(last)s") % {"first": first, "last": last}
