class ReportError(Exception):
    """A refused action on a case report; ``messages`` are for the author (Chinese)."""

    def __init__(self, message: str, *, reasons: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []
