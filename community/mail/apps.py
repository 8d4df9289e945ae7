from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "community.mail"
    label = "mail"
    verbose_name = "Outgoing email"
