"""The community's records; see each module for its part."""

from creative_regions.community.models.communities import (
    Community,
    CommunityMembership,
)
from creative_regions.community.models.imports import CommunityImport
from creative_regions.community.models.interactions import (
    ATTACHMENT_EXTENSIONS,
    FollowUp,
    Interaction,
    InteractionAttachment,
)
from creative_regions.community.models.records import (
    Affiliation,
    Consent,
    Organisation,
    Person,
)
from creative_regions.community.models.reference import PersonRole, Sector, Tag

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "Affiliation",
    "Community",
    "CommunityImport",
    "CommunityMembership",
    "Consent",
    "FollowUp",
    "Interaction",
    "InteractionAttachment",
    "Organisation",
    "Person",
    "PersonRole",
    "Sector",
    "Tag",
]
