class ExportError(Exception):
    """A refused export action, with the reason for the person (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
