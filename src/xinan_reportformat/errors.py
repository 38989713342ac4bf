"""The one error raised for input that cannot be read safely."""


class DocumentReadError(Exception):
    """The document cannot be read; ``message`` is Simplified Chinese,
    addressed to the author, and holds no content of the document; ``code``
    is a short reason (``pdf.javascript``, ``docx.macro``…) for the audit trail."""

    def __init__(self, message: str, *, code: str = "document.unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
