"""The tables a demo fill writes, and their columns in the order written."""

from db.models import (
    Case,
    CaseSequence,
    CaseStatusChange,
    Client,
    ClientKpi,
    ClientTag,
    Contact,
    Interaction,
    InteractionParticipant,
    Note,
    Product,
    Sale,
    SaleDay,
    SaleLine,
    SaleProductMonth,
    SearchEntry,
    StageChange,
)

# Column order of each table as written (ids explicit where children or search entries need them).
CLIENT_COLUMNS = ('id', 'tenant_id', 'kind', 'name', 'email', 'phone', 'company', 'address', 'postal_code', 'city',
                  'country', 'website', 'status', 'client_type', 'owner_id', 'notes', 'stage_id', 'stage_entered_at',
                  'created_at', 'updated_at', 'version')
TAG_COLUMNS = ('tenant_id', 'client_id', 'tag')
CONTACT_COLUMNS = ('id', 'tenant_id', 'client_id', 'first_name', 'last_name', 'email', 'phone', 'role',
                   'created_at', 'updated_at', 'version')
CASE_COLUMNS = ('id', 'tenant_id', 'reference', 'title', 'client_id', 'case_type', 'status', 'priority',
                'description', 'assignee_id', 'due_date', 'opened_at', 'closed_at', 'created_at', 'updated_at',
                'version')
STATUS_CHANGE_COLUMNS = ('tenant_id', 'case_id', 'from_status', 'to_status', 'changed_by', 'changed_at')
NOTE_COLUMNS = ('id', 'tenant_id', 'case_id', 'kind', 'body', 'author_id', 'due_date', 'done', 'created_at',
                'updated_at', 'version')
SEARCH_COLUMNS = ('tenant_id', 'entity', 'entity_id', 'parent_id', 'title', 'subtitle', 'words', 'name_key')
STAGE_CHANGE_COLUMNS = ('tenant_id', 'client_id', 'from_stage_id', 'to_stage_id', 'changed_by', 'changed_at')
INTERACTION_COLUMNS = ('id', 'tenant_id', 'client_id', 'contact_id', 'type', 'title', 'description', 'occurred_at',
                       'duration_minutes', 'is_pitch', 'source', 'extra', 'created_by', 'idempotency_key', 'created_at',
                       'updated_at', 'version')
PARTICIPANT_COLUMNS = ('tenant_id', 'interaction_id', 'contact_id', 'external_name', 'external_email',
                       'external_role', 'is_organizer', 'attendance_status')
KPI_COLUMNS = ('tenant_id', 'client_id', 'year', 'month', 'meetings', 'pitches', 'due_diligences', 'closings',
               'revenue_cents', 'commission_bps', 'created_at', 'updated_at', 'version')
JSON_COLUMNS = frozenset({('interaction', 'extra')})  # dicts, written as JSON text by COPY
TABLES = (Client, ClientTag, Contact, Case, CaseStatusChange, Note, SearchEntry, CaseSequence, StageChange,
          Interaction, InteractionParticipant, ClientKpi, Product, Sale, SaleLine, SaleDay,
          SaleProductMonth)  # vacuumed after a fill
