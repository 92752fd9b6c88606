from enum import StrEnum


class Role(StrEnum):
    ADMIN = 'admin'
    MANAGER = 'manager'
    AGENT = 'agent'
    VIEWER = 'viewer'


class AuditAction(StrEnum):
    CREATE = 'create'
    UPDATE = 'update'
    DELETE = 'delete'


class ClientKind(StrEnum):
    COMPANY = 'company'
    INDIVIDUAL = 'individual'


class ClientStatus(StrEnum):
    ACTIVE = 'active'
    INACTIVE = 'inactive'
    ARCHIVED = 'archived'
