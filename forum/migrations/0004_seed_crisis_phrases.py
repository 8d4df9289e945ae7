"""Seed the crisis phrase list (editable by moderators in the admin) and let moderators edit it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Phrases that suggest a person may be thinking of suicide or self-harm. Matched case-insensitively on word
# boundaries (forum.crisis), so "killing time" or "cutting carbs" do not match.
PHRASES = [
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "take my own life",
    "taking my own life",
    "want to die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "no reason to live",
    "self-harm",
    "self harm",
    "harm myself",
    "hurt myself",
    "hurting myself",
    "cutting myself",
    "cut myself",
    "overdose",
    "overdosing",
]

PERMISSIONS = ["add_crisisphrase", "change_crisisphrase", "delete_crisisphrase", "view_crisisphrase"]


def seed(apps, schema_editor):
    CrisisPhrase = apps.get_model("forum", "CrisisPhrase")
    for phrase in PHRASES:
        CrisisPhrase.objects.get_or_create(phrase=phrase)
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("forum"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", codename__in=PERMISSIONS)
    )


def unseed(apps, schema_editor):
    apps.get_model("forum", "CrisisPhrase").objects.filter(phrase__in=PHRASES).delete()


class Migration(migrations.Migration):
    dependencies = [("forum", "0003_trust_and_safety")]

    operations = [migrations.RunPython(seed, unseed)]
