"""Who may call each operation of the API: the permission table, one entry per operation of the OpenAPI description.

The services check the roles (they serve the pages too); this table says what they must allow. It describes each
operation in the OpenAPI document (its roles, and a 403 where some are refused), and tests/api/test_permissions.py
calls every operation with each role's token and compares the outcome with it, so a missing or a wrong role check in
a service fails CI. A new route needs its line here: the test refuses an operation the table does not know.
"""

from enum import StrEnum

from db.models import Role


class Access(StrEnum):
    PUBLIC = 'public'
    MEMBERS = 'members'
    WRITERS = 'writers'
    AUTHORS = 'authors'
    MANAGERS = 'managers'
    ADMINS = 'admins'

    @property
    def roles(self) -> frozenset[Role]:
        """The roles allowed on any row (AUTHORS: agents only on their own rows, so not here)."""
        return _ROLES[self]

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_ROLES = {
    Access.PUBLIC: frozenset(Role), Access.MEMBERS: frozenset(Role),
    Access.WRITERS: frozenset({Role.ADMIN, Role.MANAGER, Role.AGENT}),
    Access.AUTHORS: frozenset({Role.ADMIN, Role.MANAGER}),
    Access.MANAGERS: frozenset({Role.ADMIN, Role.MANAGER}),
    Access.ADMINS: frozenset({Role.ADMIN}),
}
_DESCRIPTIONS = {
    Access.PUBLIC: 'No bearer token needed.',
    Access.MEMBERS: 'Every role (admin, manager, agent, viewer).',
    Access.WRITERS: 'Admins, managers and agents (viewers only read).',
    Access.AUTHORS: 'Admins and managers on every row; agents on the rows they added.',
    Access.MANAGERS: 'Admins and managers.',
    Access.ADMINS: 'Admins only.',
}

PERMISSIONS: dict[Access, tuple[str, ...]] = {
    # No token: the health check, the token exchange, the signed webhook deliveries.
    Access.PUBLIC: (
        'POST /api/v1/auth/token',
        'POST /api/v1/webhooks/external-interaction',
        'GET /healthz',
    ),
    # Every role, viewers included: reading.
    Access.MEMBERS: (
        'GET /api/v1/ai/jobs/latest',
        'GET /api/v1/ai/legal-texts',
        'GET /api/v1/ai/legal-texts/export',
        'GET /api/v1/ai/legal-texts/{text_id}',
        'GET /api/v1/ai/settings',
        'GET /api/v1/analytics/dashboard',
        'GET /api/v1/analytics/runs/latest',
        'GET /api/v1/analytics/runs/{run_id}',
        'GET /api/v1/analytics/settings',
        'GET /api/v1/audit/history',
        'GET /api/v1/audit/latest',
        'GET /api/v1/audit/{audit_id}',
        'GET /api/v1/cases',
        'GET /api/v1/cases-at-risk',
        'GET /api/v1/cases/{case_id}',
        'GET /api/v1/cases/{case_id}/analyses',
        'GET /api/v1/cases/{case_id}/files',
        'GET /api/v1/cases/{case_id}/files/{file_id}',
        'GET /api/v1/cases/{case_id}/history',
        'GET /api/v1/cases/{case_id}/notes',
        'GET /api/v1/client-types',
        'GET /api/v1/clients',
        'GET /api/v1/clients/duplicates',
        'GET /api/v1/clients/{client_id}',
        'GET /api/v1/clients/{client_id}/activities/recent',
        'GET /api/v1/clients/{client_id}/contacts',
        'GET /api/v1/clients/{client_id}/files',
        'GET /api/v1/clients/{client_id}/files/{file_id}',
        'GET /api/v1/clients/{client_id}/interactions',
        'GET /api/v1/clients/{client_id}/kpis',
        'GET /api/v1/clients/{client_id}/recommendations',
        'GET /api/v1/clients/{client_id}/sales',
        'GET /api/v1/clients/{client_id}/sales/summary',
        'GET /api/v1/clients/{client_id}/stage-history',
        'GET /api/v1/clients/{client_id}/timeline',
        'GET /api/v1/contacts/{contact_id}/activities/recent',
        'GET /api/v1/interactions',
        'GET /api/v1/interactions/investor/{client_id}',
        'GET /api/v1/interactions/{interaction_id}',
        'GET /api/v1/kpis',
        'GET /api/v1/kpis/investor/{client_id}',
        'GET /api/v1/kpis/summary/annual/{client_id}/{year}',
        'GET /api/v1/kpis/summary/month/{year}/{month}',
        'GET /api/v1/me',
        'GET /api/v1/organisations/{client_id}/activities/recent',
        'GET /api/v1/persons/{contact_id}/activities/recent',
        'GET /api/v1/pipeline/board',
        'GET /api/v1/pipeline/stages',
        'GET /api/v1/pipeline/stats',
        'GET /api/v1/products',
        'GET /api/v1/products/families',
        'GET /api/v1/products/popularity',
        'GET /api/v1/products/{product_id}',
        'GET /api/v1/recommendations',
        'GET /api/v1/recommendations/summary',
        'GET /api/v1/recommendations/{recommendation_id}',
        'GET /api/v1/rfm',
        'GET /api/v1/rfm/clients',
        'GET /api/v1/rfm/clients/{client_id}',
        'GET /api/v1/rfm/moves',
        'GET /api/v1/sales',
        'GET /api/v1/sales/totals',
        'GET /api/v1/sales/{sale_id}',
        'GET /api/v1/tags',
        'GET /api/v1/users',
        'GET /api/v1/users/{user_id}',
        'GET /api/crm/case',
        'GET /api/crm/case/{case_id}',
        'GET /api/crm/case/{case_id}/file',
        'GET /api/crm/case/{case_id}/file/{file_id}',
        'GET /api/crm/case/{case_id}/note',
        'GET /api/crm/client',
        'GET /api/crm/client/{client_id}',
    ),
    # Every role but viewers.
    Access.WRITERS: (
        'GET /api/v1/cases/{case_id}/ai-preview',  # prepares an analysis, which only writers may run
        'POST /api/v1/analyses/{analysis_id}/next-steps/{step}/task',
        'POST /api/v1/cases',
        'PATCH /api/v1/cases/{case_id}',
        'POST /api/v1/cases/{case_id}/ai-analyze',
        'POST /api/v1/cases/{case_id}/files',
        'POST /api/v1/cases/{case_id}/notes',
        'POST /api/v1/clients',
        'PATCH /api/v1/clients/{client_id}',
        'POST /api/v1/clients/{client_id}/archive',
        'POST /api/v1/clients/{client_id}/contacts',
        'POST /api/v1/clients/{client_id}/files',
        'POST /api/v1/clients/{client_id}/interactions',
        'PUT /api/v1/clients/{client_id}/kpis/{year}/{month}',
        'POST /api/v1/clients/{client_id}/move-to-next-stage',
        'PUT /api/v1/clients/{client_id}/move-to-next-stage',
        'POST /api/v1/clients/{client_id}/restore',
        'POST /api/v1/clients/{client_id}/stage',
        'PATCH /api/v1/contacts/{contact_id}',
        'DELETE /api/v1/contacts/{contact_id}',
        'POST /api/v1/interactions',
        'POST /api/v1/interactions/investor/{client_id}',
        'PUT /api/v1/interactions/{interaction_id}',
        'PATCH /api/v1/interactions/{interaction_id}',
        'DELETE /api/v1/interactions/{interaction_id}',
        'POST /api/v1/kpis/investor/{client_id}',
        'POST /api/v1/products',
        'PUT /api/v1/products/{product_id}',
        'DELETE /api/v1/products/{product_id}',
        'POST /api/v1/products/{product_id}/archive',
        'POST /api/v1/products/{product_id}/restore',
        'POST /api/v1/recommendations/{recommendation_id}/dismiss',
        'POST /api/v1/recommendations/{recommendation_id}/done',
        'POST /api/v1/recommendations/{recommendation_id}/log',
        'POST /api/v1/recommendations/{recommendation_id}/reopen',
        'POST /api/v1/recommendations/{recommendation_id}/task',
        'POST /api/v1/rfm/recompute',
        'POST /api/v1/sales',
        'POST /api/crm/case',
        'PATCH /api/crm/case/{case_id}',
        'POST /api/crm/case/{case_id}/ai-analyze',
        'POST /api/crm/case/{case_id}/file',
        'POST /api/crm/case/{case_id}/note',
        'POST /api/crm/client',
    ),
    # Every role but viewers on the rows they added; managers and admins on every row.
    Access.AUTHORS: (
        'DELETE /api/v1/files/{file_id}',
        'PATCH /api/v1/notes/{note_id}',
        'DELETE /api/v1/sales/{sale_id}',
    ),
    # Managers and admins.
    Access.MANAGERS: (
        'POST /api/v1/ai/jobs',
        'POST /api/v1/ai/jobs/{job_id}/cancel',
        'POST /api/v1/audit',
        'DELETE /api/v1/cases/{case_id}',
        'POST /api/v1/clients/{keep_id}/merge',
        'POST /api/v1/recommendations/generate',
        'DELETE /api/crm/case/{case_id}',
    ),
    # Admins only.
    Access.ADMINS: (
        'POST /api/v1/ai/legal-texts',
        'POST /api/v1/ai/legal-texts/import',
        'POST /api/v1/ai/legal-texts/reset',
        'PUT /api/v1/ai/legal-texts/{text_id}',
        'DELETE /api/v1/ai/legal-texts/{text_id}',
        'PUT /api/v1/ai/settings',
        'POST /api/v1/ai/settings/test',
        'PUT /api/v1/analytics/settings',
        'DELETE /api/v1/clients/{client_id}',
        'POST /api/v1/pipeline/stages',
        'PUT /api/v1/pipeline/stages/order',
        'PATCH /api/v1/pipeline/stages/{stage_id}',
        'DELETE /api/v1/pipeline/stages/{stage_id}',
        'POST /api/v1/users',
        'PATCH /api/v1/users/{user_id}',
        'GET /api/v1/webhooks/secret',
        'POST /api/v1/webhooks/secret/rotate',
    ),
}
ACCESS: dict[str, Access] = {operation: access for access, operations in PERMISSIONS.items()
                             for operation in operations}


def access_of(method: str, path: str) -> Access | None:
    """The access of an operation (`GET`, `/api/v1/clients/{client_id}`), None when the table does not know it."""
    return ACCESS.get(f'{method.upper()} {path}')
