from xinan.cases.models.assessment import Assessment
from xinan.cases.models.case import Case, CaseMember, MoveRequest, Transition
from xinan.cases.models.confidentiality import CounsellingNote, Disclosure, GlassBreak, SharedExcerpt
from xinan.cases.models.first_report import FirstReport
from xinan.cases.models.notice import GuardianNotice
from xinan.cases.models.safety import GuardianAgreement, SafetyPlan
from xinan.cases.models.school import PlanTemplate, SchoolCrisisSettings
from xinan.cases.models.work import (
    AftercarePlan,
    Consultation,
    FollowUp,
    GuardianContact,
    InterventionPlan,
    Referral,
    StatusEvent,
    Task,
)

__all__ = [
    "AftercarePlan",
    "Assessment",
    "Case",
    "CaseMember",
    "Consultation",
    "CounsellingNote",
    "Disclosure",
    "FirstReport",
    "FollowUp",
    "GlassBreak",
    "GuardianAgreement",
    "GuardianContact",
    "GuardianNotice",
    "InterventionPlan",
    "MoveRequest",
    "PlanTemplate",
    "Referral",
    "SafetyPlan",
    "SchoolCrisisSettings",
    "SharedExcerpt",
    "StatusEvent",
    "Task",
    "Transition",
]
