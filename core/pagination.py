"""Pages of a list that is counted otherwise than it is read."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A Paginator told how to count its list (`count`, called once): a list read a page at a time
    along an index can be cheaper to count another way (people.access.own_or_line_count)."""

    def __init__(self, object_list, per_page: int, *, count: Callable[[], int], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()
