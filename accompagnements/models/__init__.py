"""Support missions: the mission and its funding, its workshops and their outputs, deliverables."""

from .deliverables import Deliverable, DeliverableKind, DeliverableVersion
from .missions import Audience, Funding, FundingStatus, MissionState, SupportMission
from .workshops import (
    BackcastingMilestone,
    BackcastingStep,
    MetaplanCard,
    MetaplanCluster,
    Method,
    Workshop,
    WorkshopParticipant,
)

__all__ = [
    "Audience",
    "BackcastingMilestone",
    "BackcastingStep",
    "Deliverable",
    "DeliverableKind",
    "DeliverableVersion",
    "Funding",
    "FundingStatus",
    "MetaplanCard",
    "MetaplanCluster",
    "Method",
    "MissionState",
    "SupportMission",
    "Workshop",
    "WorkshopParticipant",
]
