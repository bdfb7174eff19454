"""Drawing shared by the overlays: the status banner every overlay shows."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

__all__ = ["paint_banner"]


def paint_banner(p: QPainter, rect: QRectF, text: str, font: QFont, highlight: str, *,
                 border: float = 3.0, margin: tuple[float, float] = (0.0, 0.0)) -> None:
    """White text on a black rounded box with a highlight-coloured border: readable on any screen."""
    path = QPainterPath()
    path.addRoundedRect(rect, 8, 8)
    p.fillPath(path, QColor("#000000"))
    p.setPen(QPen(QColor(highlight), border))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setFont(font)
    p.setPen(QColor("#FFFFFF"))
    dx, dy = margin
    p.drawText(rect.adjusted(dx, dy, -dx, -dy),
               int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), text)
