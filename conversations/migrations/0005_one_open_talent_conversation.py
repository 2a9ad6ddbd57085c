from django.db import migrations, models

UNDER_WAY = ["requested", "booked", "held"]
RANK = {"held": 0, "booked": 1, "requested": 2}  # the one furthest along stays


def close_extra_open_talent_conversations(apps, schema_editor):
    """Before the constraint: where an employee has several talent conversations under way, keep
    the one furthest along (the oldest of those) and close the others with a reason."""
    Conversation = apps.get_model("conversations", "Conversation")
    under_way = Conversation.objects.filter(kind="talent", status__in=UNDER_WAY)
    repeated = (
        under_way.values("employee_id").annotate(count=models.Count("pk")).filter(count__gt=1).values("employee_id")
    )
    kept = {}
    extra = []
    for pk, employee_id, status in (
        under_way.filter(employee_id__in=repeated).order_by("created_at", "pk").values_list("pk", "employee_id", "status")
    ):
        best = kept.get(employee_id)
        if best is None or RANK[status] < RANK[best[1]]:
            if best is not None:
                extra.append(best[0])
            kept[employee_id] = (pk, status)
        else:
            extra.append(pk)
    Conversation.objects.filter(pk__in=extra).update(
        status="closed",
        close_reason="Closed because another talent conversation with the same person was already under way.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0004_handed_over_notices"),
    ]

    operations = [
        migrations.RunPython(close_extra_open_talent_conversations, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="conversation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "talent"), ("status__in", ["requested", "booked", "held"])),
                fields=("employee",),
                name="conversation_one_open_talent_conversation",
            ),
        ),
    ]
