"""Unexpected errors: logged once with their traceback under a short reference that the user is shown, so that an
administrator can find the details in the log while the user sees no internals (SQL, paths, values)."""

import logging
import secrets
from contextlib import suppress

log = logging.getLogger('crm.incident')
_REFERENCE = '_crm_incident_reference'


def incident_reference(error: BaseException) -> str:
    """The reference of `error`, logged (with its traceback) the first time it is asked for."""
    reference = getattr(error, _REFERENCE, None)
    if reference is None:
        reference = secrets.token_hex(4).upper()
        with suppress(AttributeError):  # an exception type without a __dict__ is logged again if asked again
            setattr(error, _REFERENCE, reference)
        log.error('Unexpected error, reference %s', reference, exc_info=error)
    return reference
