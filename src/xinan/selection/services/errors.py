class SelectionError(Exception):
    """A refusal with a message in Chinese for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
