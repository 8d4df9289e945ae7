"""Experts choose how new questions reach them (forum.alerts): a column with a database default (expand-only),
and the new notification kind, which only changes the field's choices (state-only: no SQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='notificationpreference',
            name='expert_alerts',
            field=models.CharField(choices=[('immediately', 'Immediately: a notification and an email for each question'), ('daily', 'Once a day: a notification for each question and one summary email'), ('never', 'Never: I look at my inbox myself')], db_default='immediately', default='immediately', max_length=12, verbose_name='New questions for me as an expert'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='notification',
                    name='kind',
                    field=models.CharField(choices=[('approved', 'Your post was approved'), ('rejected', 'Your post was rejected'), ('answered', 'Your question got an answer'), ('expert_answered', 'An expert answered your question'), ('accepted', 'Your answer was accepted'), ('featured', 'Your answer was featured'), ('badge', 'You earned a badge'), ('expert', 'Expert verification'), ('moderation', 'Moderation notice'), ('expert_question', 'A new question for you as an expert')], max_length=20),
                ),
            ],
        ),
    ]
