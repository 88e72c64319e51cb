"""Background tasks of the research app (run by ``creative-regions db_worker``)."""

from django_tasks import task

from creative_regions.research.models import ResearchRun
from creative_regions.research.services import research_run_execute


@task()
def research_run_task(run_id: int) -> None:
    """Computes a run recorded from the web; running it again recomputes it."""
    research_run_execute(run=ResearchRun.objects.get(pk=run_id))
