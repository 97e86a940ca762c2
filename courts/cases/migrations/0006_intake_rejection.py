# Rejected intake submissions per prosecutor (the prosecution portal's "intake errors to fix").

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_accounts_tables'),
        ('cases', '0005_reporting_restriction'),
    ]

    operations = [
        migrations.CreateModel(
            name='IntakeRejection',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, primary_key=True, serialize=False)),
                ('channel', models.CharField(choices=[('api', 'JSON API'), ('spi', 'Police SPI message'), ('staff', 'Court staff'), ('demo', 'Demo data')], max_length=8)),
                ('urn', models.CharField(blank=True, max_length=20, verbose_name='URN')),
                ('detail', models.CharField(max_length=300)),
                ('errors', models.JSONField(default=list)),
                ('submitted_by', models.CharField(max_length=200)),
                ('submitted_at', models.DateTimeField()),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('resolved_by', models.CharField(blank=True, max_length=200)),
                ('prosecutor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                ('resolved_case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.prosecutioncase')),
            ],
            options={
                'indexes': [models.Index(fields=['prosecutor', 'resolved_at', 'submitted_at'], name='intake_rejection_open_idx')],
            },
        ),
    ]
