"""What the control detector's stages pass to one another before they become Candidates."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.geometry import Box

__all__ = ["Found", "TextLine"]


@dataclass(frozen=True)
class Found:
    """One control found by appearance, before its label is attached."""

    role: str
    box: Box
    score: float
    states: frozenset[str] = frozenset()
    text: str = ""
    label_box: Box | None = None
    description: str = ""
    #: The flat interior of a frame (where its own text lives), when known.
    inner: Box | None = None

    @property
    def extent(self) -> Box:
        """The control and its label together."""
        return self.box if self.label_box is None else self.box.union(self.label_box)


@dataclass(frozen=True)
class TextLine:
    """A run of OCR text: a line, or one word group of a line split at wide gaps."""

    text: str
    box: Box
    #: The words, left to right, each with its box.
    words: tuple[tuple[str, Box], ...] = ()

    @property
    def height(self) -> float:
        return self.box.height
