"""Background tasks of the registry app (run by ``creative-regions db_worker``)."""

from django_tasks import task

from creative_regions.registry.models import RegistryImport
from creative_regions.registry.services import registry_import_run


@task()
def registry_import_task(registry_import_id: int) -> None:
    """Runs an import recorded from the web; rerunning it resumes where it stopped."""
    registry_import = RegistryImport.objects.get(pk=registry_import_id)
    registry_import_run(registry_import=registry_import)
