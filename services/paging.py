from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

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


def fetch_page(session: Session, query: Any, page: PageRequest, *order_by: Any) -> tuple[list, int]:
    """One page of `query` in the given order, and how many rows the whole query has."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(*order_by).offset(page.offset).limit(page.limit)).all()
    return list(rows), total


def sort_column(column: Any, descending: bool) -> Any:
    return column.desc() if descending else column.asc()
