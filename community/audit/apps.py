from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "community.audit"
    label = "audit"
    verbose_name = "Audit log"
