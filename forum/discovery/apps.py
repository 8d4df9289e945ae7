from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    # An app of its own only so that its template tags ({% load discovery %}) are found.
    name = "forum.discovery"
    label = "discovery"
    verbose_name = "Discovery (search engines, feeds, installing)"
