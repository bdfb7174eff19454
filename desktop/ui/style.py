"""The app's look: a high-contrast style with a thick, visible focus ring.

Sizes are in points and ems, never pixels, so text grows with the system's
scaling (readable at 200%).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["HIGH_CONTRAST_QSS", "STANDARD_QSS", "apply_style", "FOCUS_COLOR"]

FOCUS_COLOR = "#FFD400"

HIGH_CONTRAST_QSS = f"""
QWidget {{ background: #000000; color: #FFFFFF; font-size: 13pt; }}
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QKeySequenceEdit, QListWidget {{
    background: #000000; color: #FFFFFF; border: 2px solid #FFFFFF; padding: 4px; }}
QPushButton {{ background: #000000; color: #FFFFFF; border: 2px solid #FFFFFF;
    padding: 6px 14px; border-radius: 4px; }}
QPushButton:hover {{ background: #1A1A1A; }}
QCheckBox, QRadioButton, QLabel {{ background: transparent; }}
QCheckBox::indicator {{ width: 1.1em; height: 1.1em; border: 2px solid #FFFFFF; background: #000000; }}
QCheckBox::indicator:checked {{ background: #FFFFFF; }}
*:focus {{ border: 3px solid {FOCUS_COLOR}; }}
QCheckBox:focus, QRadioButton:focus {{ border: 3px solid {FOCUS_COLOR}; }}
QListWidget::item:selected {{ background: {FOCUS_COLOR}; color: #000000; }}
QProgressBar {{ border: 2px solid #FFFFFF; background: #000000; color: #FFFFFF; }}
QProgressBar::chunk {{ background: {FOCUS_COLOR}; }}
QMenu {{ background: #000000; color: #FFFFFF; border: 2px solid #FFFFFF; }}
QMenu::item:selected {{ background: {FOCUS_COLOR}; color: #000000; }}
QToolTip {{ background: #000000; color: #FFFFFF; border: 1px solid #FFFFFF; }}
"""

# Even the standard look keeps a focus ring that cannot be missed.
STANDARD_QSS = """
QWidget { font-size: 12pt; }
*:focus { border: 3px solid #0057D9; }
QPushButton { padding: 5px 12px; }
"""


def apply_style(high_contrast: bool, target: QWidget | None = None) -> None:
    """Apply the style to the whole app (or one widget tree)."""
    qss = HIGH_CONTRAST_QSS if high_contrast else STANDARD_QSS
    if target is not None:
        target.setStyleSheet(qss)
        return
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setStyleSheet(qss)
