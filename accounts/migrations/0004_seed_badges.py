"""The earned badges of accounts.badges.RULES. Written out here (not imported) so this migration keeps
meaning what it meant when it ran, whatever the rules module says later."""

from django.db import migrations

BRONZE, SILVER, GOLD = 1, 2, 3

BADGES = [
    ("first-question", "First Question", "Asked a question that was published.", BRONZE),
    ("first-answer", "First Answer", "Wrote an answer that was published.", BRONZE),
    ("helpful", "Helpful", "Wrote an answer with a score of 10 or more.", SILVER),
    ("good-question", "Good Question", "Asked a question with a score of 10 or more.", SILVER),
    ("featured", "Featured", "Wrote an expert answer that moderators featured.", GOLD),
    ("trusted", "Trusted Member", "Reached 500 reputation.", GOLD),
]


def seed_badges(apps, schema_editor):
    Badge = apps.get_model("accounts", "Badge")
    for code, name, description, tier in BADGES:
        Badge.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "tier": tier}
        )


def unseed_badges(apps, schema_editor):
    apps.get_model("accounts", "Badge").objects.filter(code__in=[b[0] for b in BADGES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_private_document_storage"),
    ]

    operations = [
        migrations.RunPython(seed_badges, unseed_badges),
    ]
