"""One root exception for everything a person may need to read.

Each error carries a stable machine-readable ``code`` (used in the JSON
contract of ``click-assist ground``), a ``user_message`` written for the
person at the screen, and an optional ``hint`` saying what to try next.
"""

from __future__ import annotations

__all__ = [
    "ClickAssistError",
    "ImageUnreadable",
    "ImageTooLarge",
    "EmptyImage",
    "EmptyInstruction",
    "InvalidInstruction",
    "InvalidClickBounds",
    "ReferenceUnreadable",
    "ReferenceTooLarge",
    "ReferenceUnusable",
    "InvalidRegion",
    "ModelMissing",
    "BackendFailed",
    "BackendUnavailable",
    "StalePlan",
    "NotConfirmed",
]


class ClickAssistError(Exception):
    """Root of every error Click Assist reports to a person or a calling tool."""

    code = "error"

    def __init__(self, user_message: str, hint: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.hint = hint

    def to_dict(self) -> dict[str, str]:
        """The ``error`` object of the ``ground`` JSON contract."""
        message = self.user_message if not self.hint else f"{self.user_message} {self.hint}"
        return {"code": self.code, "message": message}


class ImageUnreadable(ClickAssistError):
    code = "image_unreadable"


class ImageTooLarge(ClickAssistError):
    code = "image_too_large"


class EmptyImage(ClickAssistError):
    code = "image_empty"


class EmptyInstruction(ClickAssistError):
    code = "empty_instruction"


class InvalidInstruction(ClickAssistError):
    code = "invalid_instruction"


class InvalidClickBounds(ClickAssistError):
    code = "invalid_click_bounds"


class ReferenceUnreadable(ClickAssistError):
    code = "reference_unreadable"


class ReferenceTooLarge(ClickAssistError):
    code = "reference_too_large"


class ReferenceUnusable(ClickAssistError):
    """The reference image reads fine but cannot be matched (one flat colour, a few pixels)."""

    code = "reference_unusable"


class InvalidRegion(ClickAssistError):
    code = "invalid_region"


class ModelMissing(ClickAssistError):
    code = "model_missing"


class BackendFailed(ClickAssistError):
    code = "backend_failed"


class BackendUnavailable(ClickAssistError):
    code = "backend_unavailable"


class StalePlan(ClickAssistError):
    code = "stale_plan"


class NotConfirmed(ClickAssistError):
    code = "not_confirmed"
