"""The tables a demo fill writes, and their columns in the order written."""

from db.models import (
    Case,
    CaseSequence,
    CaseStatusChange,
    Client,
    ClientTag,
    Contact,
    Note,
    SearchEntry,
)

# Column order of each table as written (ids explicit where children or search entries need them).
CLIENT_COLUMNS = ('id', 'tenant_id', 'kind', 'name', 'email', 'phone', 'company', 'address', 'postal_code', 'city',
                  'country', 'website', 'status', 'client_type', 'owner_id', 'notes', 'created_at', 'updated_at',
                  'version')
TAG_COLUMNS = ('tenant_id', 'client_id', 'tag')
CONTACT_COLUMNS = ('id', 'tenant_id', 'client_id', 'first_name', 'last_name', 'email', 'phone', 'role',
                   'created_at', 'updated_at', 'version')
CASE_COLUMNS = ('id', 'tenant_id', 'reference', 'title', 'client_id', 'case_type', 'status', 'priority',
                'description', 'assignee_id', 'due_date', 'opened_at', 'closed_at', 'created_at', 'updated_at',
                'version')
STATUS_CHANGE_COLUMNS = ('tenant_id', 'case_id', 'from_status', 'to_status', 'changed_by', 'changed_at')
NOTE_COLUMNS = ('id', 'tenant_id', 'case_id', 'kind', 'body', 'author_id', 'due_date', 'done', 'created_at',
                'updated_at', 'version')
SEARCH_COLUMNS = ('tenant_id', 'entity', 'entity_id', 'parent_id', 'title', 'subtitle', 'words')
TABLES = (Client, ClientTag, Contact, Case, CaseStatusChange, Note, SearchEntry, CaseSequence)
