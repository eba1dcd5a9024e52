"""The period a staff insights page covers: the last 12 months, a calendar year, or all time."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# How far back "all time" starts: the first check-ins were in 2020.
FIRST_YEAR = 2020


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # first day inside
    end: date  # first day after

    @property
    def by_year(self) -> bool:
        """Long periods are counted per year: more than two years of months is not readable."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month > 24

    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    def buckets(self) -> list[date]:
        """The first day of every month (or year) in the period."""
        out = []
        current = date(self.start.year, 1, 1) if self.by_year else self.start
        while current < self.end:
            out.append(current)
            if self.by_year:
                current = date(current.year + 1, 1, 1)
            else:
                current = _month_start(date(current.year, current.month, 28), -1)
        return out

    def bucket_of(self, moment) -> date:
        day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
        return date(day.year, 1, 1) if self.by_year else date(day.year, day.month, 1)

    def label(self, bucket: date) -> str:
        return str(bucket.year) if self.by_year else date_format(bucket, "YEAR_MONTH_FORMAT")

    @property
    def title(self) -> str:
        if self.key == "12m":
            return _("the last 12 months")
        if self.key == "all":
            return _("all time")
        return self.key


def choices(today: date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    years = [(str(year), str(year)) for year in range(today.year, FIRST_YEAR - 1, -1)]
    return [("12m", _("The last 12 months")), *years, ("all", _("All time"))]


def period(key: str, today: date | None = None) -> Period:
    """The period named ``key`` ("12m", "all" or a year); ValueError for anything else."""
    today = today or timezone.localdate()
    if key == "12m":
        return Period("12m", _month_start(today, 11), _month_start(today, -1))
    if key == "all":
        return Period("all", date(FIRST_YEAR, 1, 1), date(today.year + 1, 1, 1))
    if len(key) == 4 and key.isascii() and key.isdigit() and 1900 <= int(key) <= today.year + 1:
        year = int(key)
        return Period(key, date(year, 1, 1), date(year + 1, 1, 1))
    raise ValueError(key)
