"""The grid wording an organisation starts with: NHS-style performance x potential (in use) and
an impact x growth alternative that HR can switch to, or copy and edit, in administration.

Boxes are numbered from the top right (1, ready for promotion now) along each row to the
bottom left (9), as NHS talent grids usually are. The numbers are then data: HR sees and may
change them in administration, and every page, export and link reads a box's number from the
grid in use (grid.selectors.GridInUse); BOX_NUMBERS only numbers a box missing from one.
Used by the data migration and whenever the settings row is missing (e.g. after a test
flushes the database).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class BoxText:
    """A box's wording; where it stands follows from its place in DefinitionText.boxes."""

    label: str
    description: str
    suggested_actions: str


@dataclass(frozen=True)
class DefinitionText:
    name: str
    x_axis_name: str
    x_axis_help: str
    x_levels: tuple[str, str, str]
    y_axis_name: str
    y_axis_help: str
    y_levels: tuple[str, str, str]
    boxes: tuple[BoxText, ...]  # boxes 1 to 9, in number order


def box_position(number: int) -> tuple[int, int]:
    """(performance, potential) of box `number`: 1 is top right, 3 top left, 9 bottom left."""
    return 3 - (number - 1) % 3, 3 - (number - 1) // 3


# The same numbering read the other way: the number a box at (performance, potential) takes.
BOX_NUMBERS = {box_position(number): number for number in range(1, 10)}


# fmt: off
NHS_PERFORMANCE_POTENTIAL = DefinitionText(
    name="Performance and potential (NHS)",
    x_axis_name="Performance",
    x_axis_help="From the appraisal: how well the person does their current role.",
    x_levels=("Low", "Moderate", "High"),
    y_axis_name="Potential",
    y_axis_help="Bottom row: best suited to the current grade. Top row: potential to move up a level.",
    y_levels=("Low", "Moderate", "High"),
    boxes=(
        BoxText("Ready for promotion now",
                "Consistently high performance, with the potential and the wish to move up a level now.",
                "Plan the next role; name as a successor for critical roles; offer stretch assignments, "
                "acting-up opportunities and a senior mentor."),
        BoxText("High potential, growing in role",
                "Clear potential to move up a level; performance is good and still growing.",
                "Agree objectives that build performance in the current role; coaching; stretch when ready; "
                "a place on a leadership development programme."),
        BoxText("Potential not yet shown in performance",
                "Strong potential that current performance does not yet show: often someone new in post, "
                "in the wrong role, or facing barriers.",
                "Talk about what gets in the way and what support would help; review the fit of the role; "
                "set short-term goals and check in often."),
        BoxText("High performer, ready to grow",
                "Strong performance, with potential to take on more within one to two years.",
                "Broaden experience: secondments, projects across teams, shadowing; develop leadership skills; "
                "consider as a successor in one to two years."),
        BoxText("Solid contributor, developing",
                "Good, reliable performance with some potential to grow.",
                "Development in the current role; a clear development plan; learning on the job and "
                "through others; review potential again in twelve months."),
        BoxText("Inconsistent performer",
                "Some potential, but performance is below what the role needs.",
                "Clear expectations and regular feedback; find the causes (workload, skills, wellbeing); "
                "agree a support plan and review it often."),
        BoxText("Strong contributor in current role",
                "High performance; best suited to the current grade, where their experience is valued.",
                "Recognise and retain; use their expertise to coach others; grow in depth, for example "
                "through a specialist or clinical track."),
        BoxText("Effective in current role",
                "Performs the role well and is best suited to the current grade.",
                "Keep skills current; recognise their contribution; offer development in depth where "
                "they want it."),
        BoxText("Needs support in current role",
                "Performance is below what the role needs and there is little sign of wider potential now.",
                "Agree a performance support plan with clear goals and timescales; check for barriers, "
                "health and wellbeing; follow the organisation's capability policy if there is no improvement."),
    ),
)

IMPACT_GROWTH = DefinitionText(
    name="Impact and growth",
    x_axis_name="Impact",
    x_axis_help="The difference the person's work makes to patients, services and colleagues.",
    x_levels=("Developing", "Solid", "Exceptional"),
    y_axis_name="Growth",
    y_axis_help="How much and how fast the person could grow: bottom row steady, top row accelerating.",
    y_levels=("Steady", "Growing", "Accelerating"),
    boxes=(
        BoxText("Future leader", "Exceptional impact and accelerating growth.",
                "Plan the next step up; stretch assignments; sponsorship by a senior leader."),
        BoxText("Rising talent", "Solid impact and accelerating growth.",
                "Stretch goals that increase impact; coaching; exposure to senior work."),
        BoxText("Untapped talent", "Growing fast, but impact is still developing.",
                "Find what limits impact; clear goals; frequent feedback."),
        BoxText("Key player", "Exceptional impact, growing steadily.",
                "Broaden experience; lead projects; mentor others."),
        BoxText("Core contributor", "Solid impact and steady growth.",
                "Development in role; learning through others."),
        BoxText("Finding their feet", "Growing, with impact still developing.",
                "Support and clear expectations; review in six months."),
        BoxText("Expert", "Exceptional impact in a role they want to stay in.",
                "Recognise and retain; share expertise; grow in depth."),
        BoxText("Reliable contributor", "Solid impact in a role they want to stay in.",
                "Keep skills current; recognise their contribution."),
        BoxText("Needs support", "Impact below what the role needs, with little growth now.",
                "A support plan with clear goals; check for barriers."),
    ),
)
# fmt: on

DEFINITIONS = (NHS_PERFORMANCE_POTENTIAL, IMPACT_GROWTH)


def grid_defaults_create(grid_definition_model, box_definition_model, grid_settings_model) -> None:
    """Create the default definitions (when missing) and the settings row using the first.
    Takes the model classes so that migrations can pass their historical models."""
    definitions = {}
    for text in DEFINITIONS:
        fields = {"x_axis_name": text.x_axis_name, "x_axis_help": text.x_axis_help}
        fields |= {"y_axis_name": text.y_axis_name, "y_axis_help": text.y_axis_help}
        for axis, levels in (("x", text.x_levels), ("y", text.y_levels)):
            fields |= {f"{axis}_level_{index}": level for index, level in enumerate(levels, start=1)}
        definition, created = grid_definition_model.objects.get_or_create(name=text.name, defaults=fields)
        if created:
            box_definition_model.objects.bulk_create(
                box_definition_model(
                    definition=definition,
                    performance=box_position(number)[0],
                    potential=box_position(number)[1],
                    number=number,
                    label=box.label,
                    description=box.description,
                    suggested_actions=box.suggested_actions,
                )
                for number, box in enumerate(text.boxes, start=1)
            )
        definitions[text.name] = definition
    grid_settings_model.objects.get_or_create(pk=1, defaults={"definition": definitions[DEFINITIONS[0].name]})
