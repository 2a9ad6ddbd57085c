"""A part of the organisation to look at on the grid: the filters of the dashboard, its
drill-downs, exports and movement table, and the scope of a calibration session.

A scope only ever narrows what the access rules allow (grid.access.talent_grid_scope is
applied alongside it), so a manager cannot widen their view with a filter.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q

from people.access import in_line_of
from people.models import Band, Department, Employee
from people.selectors import in_department_tree


@dataclass(frozen=True)
class Scope:
    department: Department | None = None
    line_manager: Employee | None = None
    site: str = ""
    band: str = ""
    specialist_track: bool | None = None

    @classmethod
    def of_session(cls, session) -> "Scope":
        return cls(
            department=session.department,
            line_manager=session.line_manager,
            site=session.site,
            band=session.band,
            specialist_track=session.specialist_track,
        )

    @property
    def is_whole(self) -> bool:
        return self == Scope()

    def employee_q(self, *, through: str = "") -> Q:
        """The people in this scope, as a Q on Employee (`through` is the path from another model).
        The specialist track is a property of placements: see placement_q."""
        q = Q()
        if self.department is not None:
            q &= in_department_tree(self.department, through=through)
        if self.line_manager is not None:
            q &= in_line_of(self.line_manager, through=through)
        if self.site:
            q &= Q(**{f"{through}site": self.site})
        if self.band:
            q &= Q(**{f"{through}band": self.band})
        return q

    def placement_q(self) -> Q:
        """The current placements of the people in this scope, as a Q on Placement."""
        q = self.employee_q(through="employee__")
        if self.specialist_track is not None:
            q &= Q(specialist_track=self.specialist_track)
        return q

    def query_params(self) -> dict[str, str]:
        """The scope as the filter form's GET parameters, for links that keep it."""
        params = {}
        if self.department is not None:
            params["department"] = str(self.department.pk)
        if self.line_manager is not None:
            params["manager"] = self.line_manager.staff_number
        if self.site:
            params["site"] = self.site
        if self.band:
            params["band"] = self.band
        if self.specialist_track is not None:
            params["track"] = "specialist" if self.specialist_track else "other"
        return params

    def querystring(self) -> str:
        return urlencode(self.query_params())

    def describe(self) -> str:
        """The scope in words, e.g. 'Emergency Department, Band 5, specialist track'."""
        parts = []
        if self.department is not None:
            parts.append(self.department.name)
        if self.line_manager is not None:
            parts.append(f"{self.line_manager.full_name}'s line")
        if self.site:
            parts.append(self.site)
        if self.band:
            parts.append(Band(self.band).label)
        if self.specialist_track is True:
            parts.append("specialist track")
        elif self.specialist_track is False:
            parts.append("not on the specialist track")
        return ", ".join(parts) or "Whole organisation"
