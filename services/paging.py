from dataclasses import dataclass
from typing import Generic, TypeVar

from services.errors import Invalid

T = TypeVar('T')
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PageRequest:
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise Invalid('error.page_limit', field='limit', max=MAX_PAGE_SIZE)
        if self.offset < 0:
            raise Invalid('error.page_offset', field='offset')


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
