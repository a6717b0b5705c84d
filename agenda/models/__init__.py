"""The models of `agenda`, one module per part: the agenda tree, the list of speakers,
statements, the record's tags, API tokens. Django finds the models here."""

from .agenda import AgendaItem, MandateReference
from .outcome import OutcomeEvent, Proposal, ProposalSupport, ProposalTopic, RecordNote
from .record import LapAction, LapArea, LapTag
from .requests import FloorRequest, ListEvent
from .speakers import Presenter, SpeakingRules
from .statements import Statement, StatementFile
from .tokens import ApiToken

__all__ = [
    "AgendaItem",
    "ApiToken",
    "FloorRequest",
    "LapAction",
    "LapArea",
    "LapTag",
    "ListEvent",
    "MandateReference",
    "OutcomeEvent",
    "Presenter",
    "Proposal",
    "ProposalSupport",
    "ProposalTopic",
    "RecordNote",
    "SpeakingRules",
    "Statement",
    "StatementFile",
]
