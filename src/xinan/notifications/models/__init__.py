from xinan.notifications.models.channel import ChannelAccount, NoticePreference
from xinan.notifications.models.message import Message
from xinan.notifications.models.notification import Notification

__all__ = ["ChannelAccount", "Message", "NoticePreference", "Notification"]
