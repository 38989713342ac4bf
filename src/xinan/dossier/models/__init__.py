from xinan.dossier.models.document import Document
from xinan.dossier.models.letter import LetterTemplate

__all__ = ["Document", "LetterTemplate"]
