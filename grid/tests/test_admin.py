"""HR edits the grid's wording and settings in administration, without a code change."""

from django.urls import reverse

from grid.factories import PlacementFactory
from grid.models import BoxDefinition, GridDefinition, GridSettings

AXES = {
    "name": "Contribution and readiness",
    "x_axis_name": "Contribution",
    "x_axis_help": "",
    "x_level_1": "Building",
    "x_level_2": "Steady",
    "x_level_3": "Outstanding",
    "y_axis_name": "Readiness",
    "y_axis_help": "",
    "y_level_1": "Later",
    "y_level_2": "Soon",
    "y_level_3": "Now",
}


def boxes_formset(boxes: list[tuple[int, int, int]]) -> dict:
    data = {
        "boxes-TOTAL_FORMS": str(len(boxes)),
        "boxes-INITIAL_FORMS": "0",
        "boxes-MIN_NUM_FORMS": "0",
        "boxes-MAX_NUM_FORMS": "9",
    }
    for index, (number, performance, potential) in enumerate(boxes):
        data |= {
            f"boxes-{index}-number": str(number),
            f"boxes-{index}-performance": str(performance),
            f"boxes-{index}-potential": str(potential),
            f"boxes-{index}-label": f"Box {number} label",
            f"boxes-{index}-description": "What it means.",
            f"boxes-{index}-suggested_actions": "What to do.",
        }
    return data


# (number, performance, potential): numbered from the top right along each row, as NHS grids are.
POSITIONS = [(performance, potential) for potential in (3, 2, 1) for performance in (3, 2, 1)]
NINE = [(number, *position) for number, position in enumerate(POSITIONS, start=1)]


def test_it_lets_hr_set_up_another_grid_and_use_it(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(reverse("admin:grid_griddefinition_add"), {**AXES, **boxes_formset(NINE)})
    assert response.status_code == 302, response.context["errors"] if response.context else response
    definition = GridDefinition.objects.get(name="Contribution and readiness")
    assert definition.boxes.count() == 9
    settings = GridSettings.objects.get()
    response = client.post(
        reverse("admin:grid_gridsettings_change", args=[settings.pk]),
        {"definition": definition.pk, "employee_view": "shown", "employee_comments": "on"},
    )
    assert response.status_code == 302
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    content = client.get(reverse("grid:dashboard")).content.decode()
    assert "Contribution" in content
    assert "Outstanding" in content
    assert "Box 1 label" in content


def test_it_refuses_a_grid_without_nine_distinct_boxes(client, cast):
    client.force_login(cast.hr.user)
    duplicated = [*NINE[:8], (9, 3, 3)]
    response = client.post(reverse("admin:grid_griddefinition_add"), {**AXES, **boxes_formset(duplicated)})
    assert response.status_code == 200
    assert not GridDefinition.objects.filter(name=AXES["name"]).exists()


def test_it_lets_hr_reword_a_box(client, cast):
    box = BoxDefinition.objects.get(definition__settings_rows__pk=1, performance=3, potential=1)
    box.label = "Valued expert"
    box.save()
    client.force_login(cast.hr.user)
    assert "Valued expert" in client.get(reverse("grid:dashboard")).content.decode()


def test_it_copies_a_definition_to_edit(client, cast):
    original = GridDefinition.objects.get(name="Performance and potential (NHS)")
    client.force_login(cast.hr.user)
    client.post(
        reverse("admin:grid_griddefinition_changelist"),
        {"action": "copy_definitions", "_selected_action": [original.pk]},
    )
    copy = GridDefinition.objects.get(name="Copy of Performance and potential (NHS)")
    assert copy.boxes.count() == 9
    assert original.boxes.count() == 9


def test_it_offers_the_impact_and_growth_grid_out_of_the_box(client, cast):
    impact = GridDefinition.objects.get(name="Impact and growth")
    assert (impact.x_axis_name, impact.y_axis_name, impact.boxes.count()) == ("Impact", "Growth", 9)
