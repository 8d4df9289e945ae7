"""Notifications, moved here from forum (forum 0009): the models enter this app's state over the existing tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0008_pending_edits_and_public_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email_expert_answered', models.BooleanField(default=True, verbose_name='Email me when a verified expert answers my question')),
                    ('email_decisions', models.BooleanField(default=True, verbose_name='Email me when a moderator approves or rejects my post')),
                    ('email_answered', models.BooleanField(default=False, verbose_name='Email me when a member answers my question')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'forum_notificationpreference',
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('approved', 'Your post was approved'), ('rejected', 'Your post was rejected'), ('answered', 'Your question got an answer'), ('expert_answered', 'An expert answered your question'), ('accepted', 'Your answer was accepted'), ('featured', 'Your answer was featured'), ('badge', 'You earned a badge'), ('expert', 'Expert verification'), ('moderation', 'Moderation notice')], max_length=20)),
                    ('text', models.CharField(max_length=300)),
                    ('url', models.CharField(blank=True, max_length=300)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'forum_notification',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['recipient', 'read_at', '-created_at'], name='notification_inbox_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
