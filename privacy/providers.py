"""Find every app's ``personal_data`` module: privacy never needs to know the apps by name.

The contract for ``<app>/personal_data.py``:

- ``export_user(user) -> dict``: the app's JSON-serializable section of the user's copy;
- ``erase_user(user) -> None``: remove or anonymize the user's personal data the app holds
  (called inside the erasure's transaction, before the user row itself is deleted);
- optionally ``export_organization(organization) -> dict``: the app's section of an
  organization's copy, for the organization's admins (never another organization's data);
- optionally ``purge_expired() -> dict[str, int]``: remove (or retire) what the app keeps past
  its retention period, return how many rows of each kind (the nightly retention task).
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE_NAME = "personal_data"


def personal_data_modules() -> dict[str, ModuleType]:
    """Return each installed app's personal_data module, by app label, in INSTALLED_APPS order."""
    modules = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, MODULE_NAME):
            modules[config.label] = import_module(f"{config.name}.{MODULE_NAME}")
    return modules
