from xinan.reports.models.report import CaseReport, FlagDecision

__all__ = ["CaseReport", "FlagDecision"]
