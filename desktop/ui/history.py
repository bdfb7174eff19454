"""Instruction history: recall with Up/Down in the bar, kept on disk when the person allows it.

Plain Python (no Qt) so that it is easy to test; the bar and the History
window read and write it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

__all__ = ["History"]

logger = logging.getLogger(__name__)


class History:
    """The last ``limit`` distinct instructions, newest last, with a recall cursor.

    Parameters
    ----------
    limit
        How many to keep (0 keeps none).
    path
        A JSON file to load from and save to; ``None`` keeps history in memory only.
    """

    def __init__(self, limit: int = 50, path: Path | None = None) -> None:
        self.limit = limit
        self.path = path
        self.items: list[str] = []
        self._cursor = 0
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            logger.warning("history file %s is unreadable; starting empty", path)
            return
        if isinstance(data, list):
            self.items = [s for s in data if isinstance(s, str) and s.strip()][-self.limit:] if self.limit else []
        self.reset_cursor()

    def add(self, text: str) -> None:
        """Remember ``text`` as the newest entry (moving an earlier copy to the end)."""
        text = text.strip()
        if not text or self.limit <= 0:
            self.reset_cursor()
            return
        if text in self.items:
            self.items.remove(text)
        self.items.append(text)
        del self.items[:-self.limit]
        self.reset_cursor()
        self.save()

    def clear(self) -> None:
        self.items.clear()
        self.reset_cursor()
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.items, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError:
            logger.warning("could not save history to %s", self.path)

    def reset_cursor(self) -> None:
        """Point past the newest entry (where typing a new instruction starts)."""
        self._cursor = len(self.items)

    def older(self) -> str | None:
        """The entry before the cursor (Up), or ``None`` at the oldest."""
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.items[self._cursor]

    def newer(self) -> str | None:
        """The entry after the cursor (Down); ``""`` past the newest (a fresh line)."""
        if self._cursor >= len(self.items):
            return None
        self._cursor += 1
        return self.items[self._cursor] if self._cursor < len(self.items) else ""
