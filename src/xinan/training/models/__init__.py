from xinan.training.models.activity import TrainingActivity

__all__ = ["TrainingActivity"]
