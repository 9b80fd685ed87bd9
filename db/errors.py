"""The database's failures, as the store sees them: the screens and the command line ask here
instead of knowing the driver's exception classes (SQLAlchemy stays inside db/)."""

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from db.log import StoreError

# The store's own refusals that mean the database did not answer (not that it refused).
LOST = frozenset({"database_failed", "database_busy", "cannot_open", "database_gone"})

# The driver cannot open or write the database (a file, a server, a lock): a refusal the command
# line names with the driver's own reason (driver_reason).
DatabaseFailure = OperationalError


def lost_connection(exc: BaseException) -> bool:
    """Whether a failure means the database did not answer, rather than refused."""
    if isinstance(exc, StoreError):
        return exc.key in LOST
    return isinstance(exc, SQLAlchemyError | OSError)


def driver_reason(exc: DatabaseFailure) -> str:
    """The first line of what the driver said."""
    lines = str(exc.orig or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
