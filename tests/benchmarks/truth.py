"""Ground truth of one rendered screen: the elements on it and where they are.

Both generators (Qt and web) write this format and the case builder reads it,
so it is the one schema of the benchmark data. Boxes are ``[x0, y0, x1, y1]``
in the final image's pixels, ``x1``/``y1`` exclusive, like
:class:`desktop.core.geometry.Box`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

__all__ = ["Element", "ScreenTruth", "load_truths", "save_truths", "scale_box", "shift_box",
           "box_inside", "boxes_overlap"]

BoxList = list[float]


@dataclass(frozen=True)
class Element:
    """One thing on a rendered screen.

    Parameters
    ----------
    id
        Unique within its screen.
    kind
        What the generator built: ``button``, ``toolbutton``, ``checkbox``,
        ``radio``, ``field``, ``combo``, ``tab``, ``menu``, ``listitem``,
        ``cell``, ``header``, ``link``, ``label``, ``title``, ``group``, ``key``.
    role
        One of :data:`desktop.core.results.ROLES`.
    text
        Visible text ("" for icon-only controls).
    box
        The whole control.
    indicator
        For checkables, the square or circle to click.
    label_box
        Where the text is drawn, when known more tightly than ``box``.
    window
        Title of the window (or page) the element belongs to.
    group
        Title of the group box or section it sits in.
    label
        For fields and combo boxes, the text of the label that names them.
    icon
        Name of the standard icon it shows (``SP_TrashIcon``), if any.
    clickable
        False for plain text: labels, titles, paragraphs.
    """

    id: str
    kind: str
    role: str
    text: str
    box: BoxList
    indicator: BoxList | None = None
    label_box: BoxList | None = None
    window: str = ""
    group: str = ""
    label: str = ""
    icon: str = ""
    clickable: bool = True
    checked: bool | None = None

    @property
    def target_box(self) -> BoxList:
        """Where a click on this element must land (the indicator for checkables)."""
        return self.indicator if self.indicator is not None else self.box

    def moved(self, dx: float, dy: float, factor: float = 1.0, window: str | None = None) -> "Element":
        """This element scaled by ``factor`` then shifted by ``(dx, dy)``."""
        def tr(b: BoxList | None) -> BoxList | None:
            return None if b is None else shift_box(scale_box(b, factor), dx, dy)
        return replace(self, box=tr(self.box), indicator=tr(self.indicator),
                       label_box=tr(self.label_box),
                       window=self.window if window is None else window)


@dataclass(frozen=True)
class ScreenTruth:
    """A rendered image and every element on it."""

    image: str
    width: int
    height: int
    source: str
    layout: str
    scale: float
    theme: str
    lang: str
    elements: tuple[Element, ...]
    windows: tuple[dict[str, Any], ...] = ()
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["elements"] = [asdict(e) for e in self.elements]
        d["windows"] = list(self.windows)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ScreenTruth":
        d = dict(d)
        d["elements"] = tuple(Element(**e) for e in d["elements"])
        d["windows"] = tuple(d.get("windows", ()))
        return cls(**d)


def scale_box(b: BoxList, f: float) -> BoxList:
    return [round(v * f, 2) for v in b]


def shift_box(b: BoxList, dx: float, dy: float) -> BoxList:
    return [round(b[0] + dx, 2), round(b[1] + dy, 2), round(b[2] + dx, 2), round(b[3] + dy, 2)]


def box_inside(inner: BoxList, outer: BoxList, slack: float = 0.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def boxes_overlap(a: BoxList, b: BoxList) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def save_truths(truths: Iterable[ScreenTruth], path: Path) -> None:
    """Write one JSON object per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")


def load_truths(path: Path) -> list[ScreenTruth]:
    with path.open(encoding="utf-8") as fh:
        return [ScreenTruth.from_dict(json.loads(line)) for line in fh if line.strip()]
