"""The audit log, moved here from forum (forum 0009): the model enters this app's state over the existing table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


from django.contrib.auth.management import create_permissions


def grant_moderators_the_audit_log(apps, schema_editor):
    # The Moderators group read the audit log in the admin as forum.view_auditentry; it is audit's now.
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("audit"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permission)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0008_pending_edits_and_public_history'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(choices=[('approve', 'Approved'), ('reject', 'Rejected'), ('edit', 'Edited'), ('approve_edit', 'Edit approved'), ('reject_edit', 'Edit rejected'), ('hide', 'Hidden'), ('unhide', 'Unhidden'), ('auto_hide', 'Hidden after flags'), ('keep_hidden', 'Kept hidden after flags'), ('dismiss_flags', 'Flags dismissed'), ('delete', 'Deleted'), ('restore', 'Restored'), ('lock', 'Locked'), ('unlock', 'Unlocked'), ('close_duplicate', 'Closed as a duplicate'), ('reopen', 'Reopened'), ('accept', 'Answer accepted'), ('unaccept', 'Acceptance withdrawn'), ('feature', 'Answer featured'), ('unfeature', 'Answer no longer featured'), ('warn', 'Member warned'), ('suspend', 'Member suspended'), ('ban', 'Member banned'), ('lift', 'Sanction lifted'), ('close_appeal', 'Appeal closed'), ('expert_apply', 'Expert application sent'), ('expert_more_info', 'Expert application: more information asked'), ('expert_reply', 'Expert application: applicant replied'), ('expert_approve', 'Expert approved'), ('expert_reject', 'Expert application rejected'), ('expert_revoke', 'Expert status revoked'), ('expert_expiry_notice', 'Expert verification expiry notice'), ('expert_document', 'Expert document downloaded'), ('delete_account', 'Account deleted')], db_index=True, max_length=40)),
                    ('target_id', models.PositiveBigIntegerField(blank=True, null=True)),
                    ('target_label', models.CharField(blank=True, max_length=240)),
                    ('reason', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('subject', models.ForeignKey(blank=True, help_text='The member the action concerns.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='contenttypes.contenttype')),
                ],
                options={
                    'verbose_name_plural': 'audit entries',
                    'db_table': 'forum_auditentry',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['target_type', 'target_id'], name='audit_target_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(grant_moderators_the_audit_log, migrations.RunPython.noop),
    ]
