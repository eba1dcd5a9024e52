from celery import shared_task

from core.task_base import PortalTask

from . import retention, services


class PrepareExportTask(PortalTask):
    def give_up(self, export_id: int) -> None:
        services.give_up_export(export_id=export_id)


@shared_task(name="privacy.prepare_export", base=PrepareExportTask)
def prepare_export_task(export_id: int) -> None:
    services.prepare_export(export_id=export_id)


@shared_task(name="privacy.prepare_pending_exports")
def prepare_pending_exports_task() -> int:
    """The sweep: copies still pending whose task never ran or whose attempt stopped."""
    return services.sweep_pending_exports()


# A hundred thousand rows of each kind in batches takes minutes, not seconds.
@shared_task(name="privacy.enforce_retention", soft_time_limit=3300, time_limit=3600)
def enforce_retention_task() -> dict:
    return retention.enforce_retention()
