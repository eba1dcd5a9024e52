from celery import shared_task

from . import services


# Ten thousand organizations take seconds; the limit leaves room for a slow disk.
@shared_task(name="opendata.generate_snapshot", soft_time_limit=1500, time_limit=1800)
def generate_snapshot_task() -> str | None:
    """The nightly run (beat) and staff's "make a new snapshot now"."""
    made = services.generate_snapshot()
    return made.id if made else None
