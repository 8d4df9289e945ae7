"""The "mentioned" notification kind (forum.mentions): only the field's choices change (state-only: no SQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_expert_alerts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='notification',
                    name='kind',
                    field=models.CharField(choices=[('approved', 'Your post was approved'), ('rejected', 'Your post was rejected'), ('answered', 'Your question got an answer'), ('expert_answered', 'An expert answered your question'), ('accepted', 'Your answer was accepted'), ('featured', 'Your answer was featured'), ('badge', 'You earned a badge'), ('expert', 'Expert verification'), ('moderation', 'Moderation notice'), ('expert_question', 'A new question for you as an expert'), ('mentioned', 'You were mentioned')], max_length=20),
                ),
            ],
        ),
    ]
