"""The one error raised for input that cannot be read safely."""


class DocumentReadError(Exception):
    """The document cannot be read; ``message`` is Simplified Chinese,
    addressed to the author, and holds no content of the document."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
