from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "community.notifications"
    label = "notifications"
    verbose_name = "Notifications"
