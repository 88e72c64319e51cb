"""Errors of the business rules, raised by services and shown to the user as is."""


class ApplicationError(Exception):
    """A rule refused the operation; ``message`` is for the user, ``field`` names the
    input it concerns (or ``None`` for the whole request)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
