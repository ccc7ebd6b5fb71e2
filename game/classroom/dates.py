"""Times as a teacher reads them: "Thursday 26 November 2026, 15:07 UTC" rather than ISO 8601.

Records keep ISO times in UTC (the game cannot know the school's time zone for certain); the
reports say UTC plainly rather than guess."""

from __future__ import annotations

from datetime import UTC, datetime

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def human_time(value: object) -> str:
    """An ISO time as 'Thursday 26 November 2026, 15:07 UTC' (the text as it is if it is not one).
    Month and day names in English whatever the machine's locale: a report reads the same everywhere."""
    moment = _moment(value)
    if moment is None:
        return str(value or "?")
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} UTC"


def human_span(start: object, end: object) -> str:
    """'Thursday 26 November 2026, 14:20 to 15:07 UTC (47 min)', the day said once when it is one day."""
    first, last = _moment(start), _moment(end)
    if first is None or last is None:
        return f"{human_time(start)} to {human_time(end)}"
    minutes = round((last - first).total_seconds() / 60)
    if first.date() == last.date():
        return f"{human_time(start)[: -len(' 00:00 UTC')]} {first:%H:%M} to {last:%H:%M} UTC ({minutes} min)"
    return f"{human_time(start)} to {human_time(end)} ({minutes} min)"
