from sqlalchemy import Index, String
from sqlmodel import Field

from db.models.base import TenantOwned
from db.models.enums import SearchEntity


class SearchEntry(TenantOwned, table=True):
    """One searchable thing (client, contact, case, note): its words lower-cased and without accents.

    SQLite searches it through an FTS5 table kept in step by triggers, PostgreSQL through a GIN index on
    `to_tsvector('simple', words)`; both are created by the migration, not by the models. `name_key` is the name or
    reference of a client, contact or case in one piece (`services.search.name_key`), so that typing it exactly
    puts it first; notes have none.
    """

    __tablename__ = 'search_entry'
    __table_args__ = (Index('ix_search_entry_entity', 'entity', 'entity_id', unique=True),
                      Index('ix_search_entry_name_key', 'tenant_id', 'name_key'))

    id: int | None = Field(default=None, primary_key=True)
    entity: SearchEntity = Field(sa_type=String(16))
    entity_id: int
    parent_id: int | None = Field(default=None)  # the client of a contact, the case of a note
    title: str = Field(max_length=300)
    subtitle: str = Field(default='', max_length=300)
    words: str = Field(default='')
    name_key: str | None = Field(default=None, max_length=300)
