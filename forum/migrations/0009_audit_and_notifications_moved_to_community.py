"""The audit log and notifications moved to community.audit and community.notifications (shared by forum and
accounts). State only: the tables keep their names and every row."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('audit', '0001_initial'),
        ('forum', '0008_pending_edits_and_public_history'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='appeal',
                name='entry',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='audit.auditentry'),
            ),
            migrations.RemoveField(
                model_name='notification',
                name='recipient',
            ),
            migrations.RemoveField(
                model_name='notificationpreference',
                name='user',
            ),
            migrations.DeleteModel(
                name='AuditEntry',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='NotificationPreference',
            ),
            ],
            database_operations=[],
        ),
    ]
