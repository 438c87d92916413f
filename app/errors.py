"""Errors that carry the field at fault, and how they become 4xx answers."""


class SpecError(ValueError):
    """A request that cannot be met; `field` is a dotted path such as `model.layers[1].units`."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def detail(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class NotFound(SpecError):
    status_code = 404


class Conflict(SpecError):
    status_code = 409


class TooMany(SpecError):
    status_code = 429


class TooLarge(SpecError):
    status_code = 413


class Forbidden(SpecError):
    status_code = 403
