"""Migrations the previous release can run beside (README "Deployment", step 2): a zero-downtime deploy
migrates while the old code still serves, so a new migration may only add what the old code can ignore.
Dropping or renaming comes one release after the code stopped using it, in a migration that says so
(`contract = True` on its Migration class, checked by the reviewer against what the running release reads).

The migrations up to this check's introduction are the baseline: they were applied with downtime-free
deploys never promised, and some add NOT NULL columns with a Python-side default."""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.models.fields import NOT_PROVIDED

BASELINE = {
    ("accounts", "0005_user_country"),
    ("forum", "0013_search_sort_indexes"),
    ("audit", "0001_initial"),
    ("mail", "0001_outbox"),
    ("notifications", "0001_initial"),
}
OURS = {"accounts", "forum", "audit", "mail", "notifications"}
DESTRUCTIVE = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)


def problems(migration) -> list[str]:
    """Why the running release could break while `migration` is applied beside it ([] when it cannot)."""
    if getattr(migration, "contract", False):
        return []
    found = []
    for operation in _database_operations(migration.operations):
        name = type(operation).__name__
        if isinstance(operation, DESTRUCTIVE):
            found.append(f"{name} {operation.describe()}: the running release still uses it")
        elif isinstance(operation, migrations.AddField):
            field = operation.field
            if not field.null and field.db_default is NOT_PROVIDED and not field.many_to_many:
                found.append(
                    f"AddField {operation.model_name}.{operation.name} is NOT NULL without db_default: "
                    "the running release's inserts would fail"
                )
        elif isinstance(operation, migrations.AlterField):
            field = operation.field
            if not field.null and field.db_default is NOT_PROVIDED and not field.many_to_many:
                # Making a column NOT NULL breaks the old release if it writes NULL there; allowed only with
                # a database default, or as a contract step.
                found.append(
                    f"AlterField {operation.model_name}.{operation.name} to NOT NULL without db_default"
                )
    return found


def _database_operations(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)  # the state half touches nothing
        else:
            yield operation


def _after_baseline(loader) -> list:
    graph = loader.graph
    baseline_ancestors = set()
    for node in BASELINE:
        baseline_ancestors |= set(graph.forwards_plan(node))
    return [
        migration
        for key, migration in loader.disk_migrations.items()
        if key[0] in OURS and key not in baseline_ancestors
    ]


def test_every_migration_after_the_baseline_can_run_beside_the_previous_release():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in OURS:
        assert any(app_label == app for app_label, _ in loader.disk_migrations), (
            f"no migrations found for {app}"
        )
    report = {
        f"{migration.app_label}.{migration.name}": found
        for migration in _after_baseline(loader)
        if (found := problems(migration))
    }
    assert report == {}


@pytest.mark.parametrize(
    ("operation", "breaks"),
    [
        (migrations.AddField("question", "mood", models.CharField(max_length=10, default="")), True),
        (migrations.AddField("question", "mood", models.CharField(max_length=10, null=True)), False),
        (migrations.AddField("question", "mood", models.CharField(max_length=10, db_default="")), False),
        (migrations.RemoveField("question", "body"), True),
        (migrations.RenameField("question", "body", "text"), True),
        (migrations.AlterField("question", "body", models.TextField()), True),
        (migrations.AlterField("question", "body", models.TextField(null=True)), False),
        (migrations.CreateModel("Mood", [("id", models.AutoField(primary_key=True))]), False),
        (migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Mood")]), False),
    ],
)
def test_the_check_tells_expanding_from_contracting(operation, breaks):
    migration = type("Migration", (migrations.Migration,), {"operations": [operation]})("0099_x", "forum")
    assert bool(problems(migration)) is breaks
    migration.contract = True  # a release after the code stopped using it
    assert problems(migration) == []
