from xinan.notifications.models.message import Message
from xinan.notifications.models.notification import Notification

__all__ = ["Message", "Notification"]
