from celery import shared_task

from . import retention, services


@shared_task(name="privacy.prepare_export")
def prepare_export_task(export_id: int) -> None:
    services.prepare_export(export_id=export_id)


@shared_task(name="privacy.prepare_pending_exports")
def prepare_pending_exports_task() -> int:
    """The sweep: copies still pending whose task never ran or whose attempt stopped."""
    return services.sweep_pending_exports()


@shared_task(name="privacy.enforce_retention")
def enforce_retention_task() -> dict:
    return retention.enforce_retention()
