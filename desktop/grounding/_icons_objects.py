"""Names that put an action on a document: "New" is drawn as ``document-new``, "Save" as ``document-save``.

Freedesktop themes, and the sets that follow them, name a toolbar's most
common buttons after the thing acted on and the action ("document new",
"file save", "document open"). MiniLM puts those names about 0.5 from the
bare action ("new", "save", "open"), under the phrase search's synonym
cut (0.7), so the very icons a person calls "New", "Open" and "Save" got no
belief on the word they said. A one-word phrase also counts the names that
are that word with a generic object ("document", "file", "page", "item").
"""

from __future__ import annotations

from typing import Sequence

from desktop.core.textmatch import tokenize

__all__ = ["action_index", "action_of", "action_rows"]

#: Nouns that only say "the thing acted on": a name is the action on it.
_OBJECTS = frozenset({"document", "file", "page", "item", "entry"})


def action_index(words: Sequence[str]) -> dict[str, list[int]]:
    """Each action word of ``words`` (a vocabulary) → the rows naming it on a generic object."""
    index: dict[str, list[int]] = {}
    for i, name in enumerate(words):
        action = action_of(name)
        if action is not None:
            index.setdefault(action, []).append(i)
    return index


def action_of(name: str) -> str | None:
    """The action a two-word name puts on a generic object ("document new" → "new"), else None."""
    parts = name.split()
    if len(parts) != 2 or (parts[0] in _OBJECTS) == (parts[1] in _OBJECTS):
        return None  # "document new", "new file"; not "file item" nor "zoom in"
    action = parts[1] if parts[0] in _OBJECTS else parts[0]
    return action if len(action) >= 3 and action.isalpha() else None


def action_rows(index: dict[str, list[int]], phrase: str) -> list[int]:
    """The rows of ``index`` that say ``phrase``'s one word acting on a generic object ("document new")."""
    said = tokenize(phrase)
    return list(index.get(said[0], ())) if len(said) == 1 else []
