class DossierError(Exception):
    """A refused dossier action, with the reason for the person (Chinese); ``code`` names a
    refused upload's reason for the audit trail (never the file's content)."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
