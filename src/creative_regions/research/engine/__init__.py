"""The research engine: indicators of every region's creative economy, computed
from two snapshots of the register store.

No Django models and no views: ``research_compute`` takes the register store, a
classification's (code, sector) pairs and two dates, and returns Arrow tables for
the caller to store and show. The heavy lifting is DuckDB SQL over the Parquet
files (``queries``); the formulas are small Python functions on the aggregates
(``indicators``, ``ranking``).
"""

from creative_regions.research.engine.compute import (
    ResearchResult,
    check_snapshots,
    research_compute,
    research_snapshots,
)
from creative_regions.research.engine.indicators import (
    LEADERS_SCHEMA,
    PROFILE_SCHEMA,
    REGIONS_SCHEMA,
    SECTORS_SCHEMA,
)
from creative_regions.research.engine.parameters import (
    DEFAULT_CRITERIA,
    SUB_SCORES,
    GrowthCriteria,
    ResearchInputError,
)
from creative_regions.research.engine.ranking import PEERS_SCHEMA, RANKING_SCHEMA

PROFILE_COLUMNS = tuple(PROFILE_SCHEMA.names)

__all__ = [
    "DEFAULT_CRITERIA",
    "LEADERS_SCHEMA",
    "PEERS_SCHEMA",
    "PROFILE_COLUMNS",
    "PROFILE_SCHEMA",
    "RANKING_SCHEMA",
    "REGIONS_SCHEMA",
    "SECTORS_SCHEMA",
    "SUB_SCORES",
    "GrowthCriteria",
    "ResearchInputError",
    "ResearchResult",
    "check_snapshots",
    "research_compute",
    "research_snapshots",
]
