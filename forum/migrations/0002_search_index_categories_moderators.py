"""PostgreSQL full-text index, the four seeded categories, and the Moderators group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    ("Living Well", "living-well", "Sleep, stress, ageing well and everyday health.", "Living Well Expert"),
    ("Diet & Fitness", "diet-fitness", "Food, nutrition, exercise and weight.", "Diet & Fitness Expert"),
    ("Mental Health", "mental-health", "Mood, anxiety, relationships and the mind.", "Mental Health Expert"),
    ("Conditions", "conditions", "Living with illnesses, symptoms and treatments.", "Conditions Expert"),
]

MODERATOR_PERMISSIONS = [
    ("forum", "moderate"),
    ("forum", "feature_answer"),
    ("forum", "view_auditentry"),
    ("accounts", "verify_expert"),
]


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS question_search_gin ON forum_question USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS question_search_gin")


def seed_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (name, slug, description, expert_title) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "expert_title": expert_title, "position": position},
        )


def unseed_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    Category.objects.filter(slug__in=[c[1] for c in CATEGORIES], questions__isnull=True).delete()


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so the group can hold them.
    from django.apps import apps as global_apps

    for app_label in ("forum", "accounts"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.RunPython(seed_categories, unseed_categories),
        migrations.RunPython(create_moderators_group, delete_moderators_group),
    ]
