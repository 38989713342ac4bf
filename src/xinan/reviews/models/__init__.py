from xinan.reviews.models.review import Assignment, ConflictDeclaration, Review, ReviewRound, StagedDecision

__all__ = ["Assignment", "ConflictDeclaration", "Review", "ReviewRound", "StagedDecision"]
