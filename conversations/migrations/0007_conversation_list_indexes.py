"""Indexes for the Conversations list: a manager's line's conversations read from an index alone,
and the urgency order (conversations.models.urgency_finished and urgency_due_day), so that a page
of the list is read in order rather than sorted."""

import django.db.models.functions.comparison
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0006_merge_open_talent_conversation_and_opportunity_notice"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(fields=["employee", "kind", "id"], name="conversation_employee_kind_idx"),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                models.Case(
                    models.When(status__in=("booked", "held", "requested"), then=0),
                    default=1,
                    output_field=models.IntegerField(),
                ),
                models.Case(
                    models.When(due_on__isnull=False, status="requested", then=models.F("due_on")),
                    models.When(status="requested", then=django.db.models.functions.datetime.TruncDate("created_at")),
                    models.When(status="booked", then=django.db.models.functions.datetime.TruncDate("starts_at")),
                    models.When(
                        host_signed_off_at__isnull=False,
                        status="held",
                        then=django.db.models.functions.datetime.TruncDate("host_signed_off_at"),
                    ),
                    models.When(
                        status="held",
                        then=django.db.models.functions.datetime.TruncDate(
                            django.db.models.functions.comparison.Coalesce("held_at", "updated_at")
                        ),
                    ),
                    default=None,
                    output_field=models.DateField(),
                ),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="conversation_urgency_idx",
            ),
        ),
    ]
