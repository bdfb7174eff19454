"""Start on login: the Linux desktop entry in the XDG autostart folder (plain Python, no Qt)."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
from pathlib import Path

__all__ = ["autostart_path", "set_autostart", "desktop_entry", "RESOURCES"]

logger = logging.getLogger(__name__)

#: The project's resources folder (icons, desktop entry, screenshots).
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ENTRY_NAME = "click-assist.desktop"


def autostart_path() -> Path:
    """``$XDG_CONFIG_HOME/autostart/click-assist.desktop``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / ENTRY_NAME


def desktop_entry() -> str:
    """The desktop entry, with ``Exec`` pointing at this installation."""
    template = RESOURCES / ENTRY_NAME
    text = template.read_text(encoding="utf-8") if template.exists() else (
        "[Desktop Entry]\nType=Application\nName=Click Assist\nExec=click-assist\nTerminal=false\n")
    command = shutil.which("click-assist") or f"{shlex.quote(sys.executable)} -m desktop"
    lines = [f"Exec={command}" if line.startswith("Exec=") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def set_autostart(enabled: bool, path: Path | None = None) -> Path:
    """Install or remove the autostart entry; returns its path."""
    path = autostart_path() if path is None else path
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(desktop_entry(), encoding="utf-8")
        logger.info("autostart entry written to %s", path)
    elif path.exists():
        path.unlink()
        logger.info("autostart entry removed from %s", path)
    return path
