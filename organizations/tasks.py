from celery import shared_task

from . import services


@shared_task(name="organizations.nudge_stale_organizations")
def nudge_stale_organizations_task() -> dict[str, int]:
    return services.nudge_stale_organizations()
