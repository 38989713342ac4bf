class TrainingError(Exception):
    """A domain refusal whose message (Chinese) is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
