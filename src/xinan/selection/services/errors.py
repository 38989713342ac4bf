class SelectionError(Exception):
    """A refusal with a message in Chinese for the person who asked; ``code`` names a refused
    upload's reason for the audit trail (never the file's content)."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
