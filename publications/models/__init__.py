"""Publications, their files, partner accounts, API tokens and the download log."""

from .changes import Change
from .partners import ApiToken, Download, PartnerAccount
from .publication import Audience, Kind, Licence, Publication, PublicationFile

__all__ = [
    "ApiToken",
    "Audience",
    "Change",
    "Download",
    "Kind",
    "Licence",
    "PartnerAccount",
    "Publication",
    "PublicationFile",
]
