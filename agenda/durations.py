"""Durations as people read them: a speech's length, a countdown. Pure."""


def duration_text(seconds: int | None) -> str:
    """A duration: 4:05, or 1:02:05 from an hour up; "" when unknown."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def countdown_text(remaining: int) -> str:
    """What a countdown shows: the minutes and seconds left, or over the limit with a plus
    sign ("+0:12"). Minutes are not folded into hours, as `static/js/live.js` shows them while
    the seconds go by."""
    sign = "" if remaining >= 0 else "+"
    seconds = abs(remaining)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"
