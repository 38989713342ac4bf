from xinan.selection.models.anthology import Anthology, Commentary
from xinan.selection.models.recommendation import Recommendation, RecommendationItem

__all__ = ["Anthology", "Commentary", "Recommendation", "RecommendationItem"]
