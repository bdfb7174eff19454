"""AT-SPI role numbers and state bits, and how they map to Click Assist's roles and states.

The numbers are ``AtspiRole`` and ``AtspiStateType`` from at-spi2-core's
``atspi-constants.h``; the names are what ``Accessible.GetRoleName`` returns
(an end-to-end test checks them against a running GTK application).
"""

from __future__ import annotations

__all__ = ["ROLE_NAMES", "role_name", "neutral_role", "neutral_states", "state_bits",
           "SHOWING", "VISIBLE", "WINDOW_ROLES"]

ROLE_NAMES = (
    "invalid", "accelerator label", "alert", "animation", "arrow", "calendar", "canvas", "check box",
    "check menu item", "color chooser", "column header", "combo box", "date editor", "desktop icon",
    "desktop frame", "dial", "dialog", "directory pane", "drawing area", "file chooser", "filler",
    "focus traversable", "font chooser", "frame", "glass pane", "html container", "icon", "image",
    "internal frame", "label", "layered pane", "list", "list item", "menu", "menu bar", "menu item",
    "option pane", "page tab", "page tab list", "panel", "password text", "popup menu", "progress bar",
    "push button", "radio button", "radio menu item", "root pane", "row header", "scroll bar",
    "scroll pane", "separator", "slider", "spin button", "split pane", "status bar", "table",
    "table cell", "table column header", "table row header", "tearoff menu item", "terminal", "text",
    "toggle button", "tool bar", "tool tip", "tree", "tree table", "unknown", "viewport", "window",
    "extended", "header", "footer", "paragraph", "ruler", "application", "autocomplete", "editbar",
    "embedded", "entry", "chart", "caption", "document frame", "heading", "page", "section",
    "redundant object", "form", "link", "input method window", "table row", "tree item",
    "document spreadsheet", "document presentation", "document text", "document web",
    "document email", "comment", "list box", "grouping", "image map", "notification", "info bar",
    "level bar", "title bar", "block quote", "audio", "video", "definition", "article", "landmark",
    "log", "marquee", "math", "rating", "timer", "static", "math fraction", "math root", "subscript",
    "superscript", "description list", "description term", "description value", "footnote",
    "content deletion", "content insertion", "mark", "suggestion", "push button menu", "switch",
)

#: AT-SPI role name → Click Assist role (see :data:`desktop.core.results.ROLES`).
_ROLE_MAP = {
    "push button": "button", "push button menu": "button", "toggle button": "button",
    "check box": "checkbox", "check menu item": "menuitem", "radio button": "radio",
    "radio menu item": "menuitem", "page tab": "tab", "menu item": "menuitem", "menu": "menu",
    "combo box": "dropdown", "text": "field", "entry": "field", "password text": "field",
    "spin button": "field", "link": "link", "icon": "icon", "list item": "listitem",
    "tree item": "listitem", "slider": "slider", "switch": "switch", "desktop icon": "icon",
}

#: Top-level windows of an application.
WINDOW_ROLES = frozenset({"frame", "window", "dialog", "alert", "file chooser", "color chooser",
                          "font chooser", "filler", "popup menu", "tool tip", "notification"})

_ACTIVE, _CHECKED, _EDITABLE, _ENABLED, _EXPANDED, _FOCUSED = 1, 4, 7, 8, 10, 12
_MULTI_LINE, _PRESSED, _SELECTED, _SENSITIVE = 17, 20, 23, 24
SHOWING, VISIBLE = 25, 30
_INDETERMINATE, _CHECKABLE = 32, 41
_SIMPLE = {_ACTIVE: "active", _CHECKED: "checked", _EDITABLE: "editable", _EXPANDED: "expanded",
           _FOCUSED: "focused", _MULTI_LINE: "multiline", _PRESSED: "pressed", _SELECTED: "selected",
           _INDETERMINATE: "mixed"}


def role_name(number: int) -> str:
    """The AT-SPI role name of role ``number`` ("unknown" past the table)."""
    return ROLE_NAMES[number] if 0 <= number < len(ROLE_NAMES) else "unknown"


def neutral_role(name: str) -> str:
    """Click Assist's role for an AT-SPI role name, or ``""`` when it is no click target of its own."""
    return _ROLE_MAP.get(name, "")


def state_bits(words: tuple[int, ...] | list[int]) -> frozenset[int]:
    """The set bits of an AT-SPI state set (``au``: two 32-bit words)."""
    return frozenset(i * 32 + b for i, w in enumerate(words) for b in range(32) if (int(w) >> b) & 1)


def neutral_states(bits: frozenset[int], native_role: str = "") -> frozenset[str]:
    """Neutral state names (``showing``, ``disabled``, ``checked``, ...) for AT-SPI state bits."""
    out = {name for bit, name in _SIMPLE.items() if bit in bits}
    if SHOWING in bits and VISIBLE in bits:
        out.add("showing")
    if _ENABLED not in bits and _SENSITIVE not in bits:
        out.add("disabled")
    if native_role == "toggle button":
        out.add("toggle")
        if "pressed" in out:
            out.add("checked")  # some toolkits say PRESSED where GTK says CHECKED
    return frozenset(out)
