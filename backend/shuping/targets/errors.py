"""Target programme errors."""

from __future__ import annotations

from shuping.core.errors import Conflict, InvalidState
from shuping.core.i18n import N_


class ProgrammeClosed(InvalidState):
    code, title = "programme-closed", N_("The programme is closed")


class StageMoveRefused(InvalidState):
    code, title = "illegal-stage-move", N_("Illegal stage move")


class MeasureKeyTaken(Conflict):
    code, title = "measure-key-taken", N_("The programme already has a measure with that key")


class ProgrammeInUse(Conflict):
    code, title = "programme-in-use", N_("Only a draft programme without projects can be deleted")
