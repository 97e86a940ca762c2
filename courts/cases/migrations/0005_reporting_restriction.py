# Reporting restrictions recorded by the court on a case, a defendant or an offence.

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_defendant_proceedings_concluded_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportingRestriction',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('youth', 'Youth'), ('anonymity_order', 'Anonymity order'), ('sexual_offence_complainant', 'Sexual offence complainant'), ('court_order', 'Court order')], max_length=28)),
                ('basis', models.CharField(max_length=20)),
                ('details', models.CharField(blank=True, max_length=500)),
                ('imposed_at', models.DateTimeField()),
                ('imposed_by', models.CharField(max_length=200)),
                ('lifted_at', models.DateTimeField(blank=True, null=True)),
                ('lifted_by', models.CharField(blank=True, max_length=200)),
                ('lift_reason', models.CharField(blank=True, max_length=500)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='restrictions', to='cases.prosecutioncase')),
                ('defendant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='restrictions', to='cases.defendant')),
                ('offence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='restrictions', to='cases.offence')),
            ],
            options={
                'ordering': ['imposed_at', 'id'],
                'indexes': [models.Index(fields=['case', 'lifted_at'], name='restriction_case_active_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('offence__isnull', True), ('defendant__isnull', False), _connector='OR'), name='restriction_offence_has_defendant')],
            },
        ),
    ]
