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


class CaseType(StrEnum):
    LEGAL = 'legal'
    FISCAL = 'fiscal'
    ADMINISTRATIVE = 'administrative'
    BUSINESS = 'business'
    OTHER = 'other'


class CaseStatus(StrEnum):
    NEW = 'new'
    IN_PROGRESS = 'in_progress'
    WAITING_CLIENT = 'waiting_client'
    RESOLVED = 'resolved'
    CLOSED = 'closed'

    @property
    def is_open(self) -> bool:
        return self not in (CaseStatus.RESOLVED, CaseStatus.CLOSED)


class CasePriority(StrEnum):
    LOW = 'low'
    NORMAL = 'normal'
    HIGH = 'high'
    URGENT = 'urgent'


class NoteKind(StrEnum):
    GENERAL = 'general'
    CALL = 'call'
    MEETING = 'meeting'
    EMAIL = 'email'
    TASK = 'task'


class SearchEntity(StrEnum):
    CLIENT = 'client'
    CONTACT = 'contact'
    CASE = 'case'
    NOTE = 'note'


class InteractionType(StrEnum):
    EMAIL = 'email'
    CALL = 'call'
    MEETING = 'meeting'
    LUNCH = 'lunch'
    NOTE = 'note'
    WEBINAR = 'webinar'
    NEWSLETTER = 'newsletter'


class InteractionSource(StrEnum):
    MANUAL = 'manual'
    EMAIL = 'email'
    CAMPAIGN = 'campaign'
    NEWSLETTER = 'newsletter'
    WEBHOOK = 'webhook'
    IMPORT = 'import'


class AttendanceStatus(StrEnum):
    INVITED = 'invited'
    CONFIRMED = 'confirmed'
    DECLINED = 'declined'
    ATTENDED = 'attended'
    ABSENT = 'absent'
