"""What candidate sources find and what the engine predicts, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.core.calibration import Features
from desktop.core.geometry import Box
from desktop.core.intent import Intent

__all__ = ["Candidate", "Prediction", "GroundingResult", "ROLES"]

#: Roles a candidate may have. ``text`` is a line or word read by OCR with no
#: known control around it; ``icon`` is a non-text control found by appearance.
ROLES = (
    "text", "button", "checkbox", "radio", "switch", "dropdown", "tab", "link",
    "menu", "menuitem", "field", "icon", "image", "slider", "list", "listitem",
)


@dataclass(frozen=True)
class Candidate:
    """Something on screen that could be clicked, as one source saw it.

    Parameters
    ----------
    box
        Where the thing is, in image pixels. For a checkable control this is
        the indicator (the square or circle), not its label.
    text
        The visible text or accessible name ("" when none is known).
    role
        One of :data:`ROLES`.
    source
        Which source produced it (``ocr``, ``controls``, ``template``, ``a11y``, ...).
    score
        The source's own confidence in [0, 1] that the thing exists as described.
    label_box
        Where its label text is, when that differs from ``box``.
    point
        Where to click inside ``box`` when its centre is not right.
    """

    box: Box
    text: str = ""
    role: str = "text"
    source: str = ""
    score: float = 1.0
    label_box: Box | None = None
    point: tuple[float, float] | None = None
    states: frozenset[str] = frozenset()
    description: str = ""
    #: Lower-level pieces (e.g. OCR word boxes inside a line: ``((text, Box), ...)``).
    parts: tuple[tuple[str, Box], ...] = ()
    #: Found by asking a model for the instruction's phrase: ``text`` echoes the request,
    #: so ``score`` (the model's own confidence) is the only evidence.
    conditioned: bool = False

    @property
    def click_point(self) -> tuple[float, float]:
        return self.point if self.point is not None else self.box.center

    @property
    def extent(self) -> Box:
        """Box and label together: what a person sees as this control."""
        return self.box if self.label_box is None else self.box.union(self.label_box)


@dataclass(frozen=True)
class Prediction:
    """One point to click, with a calibrated confidence."""

    x: int
    y: int
    confidence: float
    label: str
    box: Box | None
    source: str
    action: str = "click"
    role: str = "text"
    #: Index of the instruction step this point belongs to ("click Bold, then Italic").
    step: int = 0
    #: What the confidence was computed from (for calibration fitting; not in the JSON contract).
    evidence: Features | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The point object of the ``ground`` JSON contract."""
        return {
            "x": int(self.x),
            "y": int(self.y),
            "confidence": round(float(self.confidence), 4),
            "label": self.label,
            "box": self.box.to_list() if self.box is not None else None,
            "source": self.source,
            "action": self.action,
        }


@dataclass(frozen=True)
class GroundingResult:
    """The engine's answer for one instruction on one image."""

    predictions: tuple[Prediction, ...]
    intent: Intent
    elapsed_ms: float
    image_size: tuple[int, int]
    #: Why nothing (or less than asked) was found, in words for a person.
    message: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def best(self) -> Prediction | None:
        return self.predictions[0] if self.predictions else None
