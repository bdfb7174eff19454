"""What a person calls an icon of the installed theme, from its freedesktop file name.

Theme files are named by the freedesktop icon naming specification:
``<context word>-<what>`` ("document-new", "go-up", "edit-find",
"tab-new"). A person says the action ("New", "Up", "Find") or the
tooltip the app gives ("New Tab", "Parent Folder"); the humanised name
alone ("document new") is matched by its words, so each icon also gets
the names a person would say: the name without its generic first word
(the action on a document, see :mod:`desktop.grounding._icons_objects`;
the way of an arrow, see :mod:`desktop.grounding._icons_directions`),
"new X" for "X-new", and, for the few standard names whose meaning is
not in their words, a short table.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from desktop.grounding._icons_directions import direction_of
from desktop.grounding._icons_objects import action_of

__all__ = ["humanise", "said_names"]

#: Prefixes of old stock names ("gtk-add", "gnome-stock-mail-new", "stock_new") that say only "a stock icon".
_STOCK = frozenset({"gtk", "gnome", "stock", "xfce", "kde", "lxde", "mate"})
#: First words of the naming spec that group names ("edit-copy", "view-refresh", "process-stop") and
#: that a person does not say: the rest of the name is what the button does.
_GROUPS = frozenset({"edit", "view", "go", "list", "process", "format", "media", "object", "window", "system",
                     "insert", "tools", "help", "document", "file", "folder", "mail", "zoom", "application",
                     "user", "network", "dialog", "emblem", "action", "applications", "preferences", "places"})
#: Standard names whose usual tooltips share no word with the name (GTK, LXDE and Xfce apps' own).
_MEANS: dict[str, tuple[str, ...]] = {
    "go up": ("parent folder", "parent", "up one level"),
    "go jump": ("jump to",),   # not "go": that is the Go menu beside it
    "go home": ("home folder", "home"),
    "go previous": ("back",),
    "go next": ("forward",),
    "process stop": ("stop", "cancel"),
    "view refresh": ("reload",),
    "edit find": ("search",),
    "system search": ("find",),
    "edit delete": ("remove",),
    "user trash": ("trash", "bin", "wastebasket"),
    "list add": ("plus",),
    "list remove": ("minus",),
    "application exit": ("quit", "exit"),
    "window close": ("close",),
    "document properties": ("properties",),
    "media playback start": ("play",),
    "media playback pause": ("pause",),
    "media playback stop": ("stop",),
    "media skip forward": ("next",),
    "media skip backward": ("previous",),
    "zoom original": ("actual size", "normal size", "zoom 100"),
    "drive harddisk": ("hard disk", "file system", "file system root"),   # GTK's path bar: the root
    "zoom fit best": ("best fit", "fit"),
}
_SEPARATORS = re.compile(r"[-_.\s]+")


def humanise(stem: str) -> str:
    """A file stem as words: "document-new-symbolic" → "document new", "gtk-add" → "add".

    Returns "" for a stem with no word left (a bare stock prefix).
    """
    stem = re.sub(r"(?:\.symbolic)+$", "", stem)
    words = [w for w in _SEPARATORS.split(stem.lower()) if w]
    while words and words[-1] in ("symbolic", "rtl", "ltr"):
        words.pop()
    words = [w for w in words if w not in ("symbolic",)]
    while len(words) > 1 and words[0] in _STOCK:
        words.pop(0)
    if len(words) == 1 and words[0] in _STOCK:
        return ""
    return " ".join(words)


def said_names(names: Sequence[str]) -> tuple[str, ...]:
    """Every name of ``names`` (humanised, the canonical one first) plus what a person says for them.

    Parameters
    ----------
    names
        Humanised names of one picture (its file and the aliases linked to it).

    Returns
    -------
    tuple of str
        ``names`` first, then the derived names, without repeats.
    """
    out: list[str] = []
    for name in names:
        out.append(name)
        out.extend(_derived(name))
    return tuple(dict.fromkeys(n for n in out if n))


def _derived(name: str) -> Iterable[str]:
    words = name.split()
    yield from _MEANS.get(name, ())
    if len(words) < 2:
        return
    action = action_of(name)
    if action is not None:
        yield action                       # "document new" → "new"
    if direction_of(name) is not None:
        yield words[-1]                    # "go up" → "up"
    if words[-1] == "new":
        yield " ".join(["new", *words[:-1]])   # "tab new" → "new tab", "folder new" → "new folder"
    if words[0] in _GROUPS:
        yield " ".join(words[1:])          # "edit find" → "find", "document save as" → "save as"
