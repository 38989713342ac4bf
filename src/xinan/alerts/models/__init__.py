from xinan.alerts.models.alert import Alert

__all__ = ["Alert"]
