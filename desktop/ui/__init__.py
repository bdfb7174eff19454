"""The Qt front end: the only package that imports PySide6.

Tray and fallback window (:mod:`~desktop.ui.tray`), global hotkeys
(:mod:`~desktop.ui.hotkeys`), instruction bar, overlay, region selector,
settings dialog, the background-work helper and the controller that runs the
flow between them. Modules are imported where used, so that importing this
package does not load Qt.
"""

__all__: list[str] = []
