"""Search (forum/search/): the synonym list moderators edit, and the Moderators group's right to edit it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

SYNONYM_PERMISSIONS = ["add_synonym", "change_synonym", "delete_synonym", "view_synonym"]


def let_moderators_edit_synonyms(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so the group can hold them.
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("forum"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", codename__in=SYNONYM_PERMISSIONS)
    )


def forbid_synonym_edits(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="forum", codename__in=SYNONYM_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0009_audit_and_notifications_moved_to_community"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "lay_term",
                    models.CharField(help_text="The words people use, e.g. 'heart attack'.", max_length=100),
                ),
                (
                    "clinical_term",
                    models.CharField(
                        help_text="The words experts write, e.g. 'myocardial infarction'.", max_length=100
                    ),
                ),
            ],
            options={
                "ordering": ["lay_term", "clinical_term"],
                "constraints": [
                    models.UniqueConstraint(fields=("lay_term", "clinical_term"), name="synonym_pair_once")
                ],
            },
        ),
        migrations.RunPython(let_moderators_edit_synonyms, forbid_synonym_edits),
    ]
