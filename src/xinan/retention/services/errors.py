class RetentionError(Exception):
    """A retention action refused; the message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
