"""A backend that replays a recorded tree (a JSON file), through the live backends' own parsers.

Recordings let tests cover UI Automation and AX without Windows or a Mac,
and pin AT-SPI behaviour without a running desktop. Formats:

* ``{"platform": "atspi", "apps": [{"name", "pid", "items": [Cache.GetItems
  items], "extents": {path: [x, y, w, h]}}], "stacking": [{"box": [x0, y0,
  x1, y1], "pid", "z"}]}``
* ``{"platform": "uia", "elements": [...], "windows": [...]}`` (see
  :mod:`desktop.grounding._a11y_uia`)
* ``{"platform": "ax", "elements": [...], "windows": [...]}`` (see
  :mod:`desktop.grounding._a11y_ax`)
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Mapping

from desktop.core.geometry import Box
from desktop.grounding._a11y_atspi_parse import AppTree, assemble, box_from_extents, elements_from_cache
from desktop.grounding._a11y_ax import snapshot_from_ax
from desktop.grounding._a11y_tree import StackedWindow, TreeSnapshot
from desktop.grounding._a11y_uia import snapshot_from_uia

__all__ = ["RecordedBackend", "snapshot_from_recording"]


def snapshot_from_recording(data: Mapping[str, Any]) -> TreeSnapshot:
    """The snapshot a recording describes, parsed as the live backend of its platform would."""
    platform = data.get("platform")
    if platform == "uia":
        return snapshot_from_uia(data["elements"], data.get("windows", ()))
    if platform == "ax":
        return snapshot_from_ax(data["elements"], data.get("windows", ()))
    if platform == "atspi":
        trees = [AppTree(str(a.get("name", "")), int(a.get("pid", 0)), elements_from_cache(a["items"]),
                         {p: box_from_extents(e) for p, e in a.get("extents", {}).items()})
                 for a in data["apps"]]
        stacked = [StackedWindow(Box(*s["box"]), int(s.get("pid", 0)), int(s["z"])) for s in data.get("stacking", ())]
        return assemble(trees, stacked)
    raise ValueError(f"unknown recording platform {platform!r}")


class RecordedBackend:
    """Replays one recording for every snapshot (optionally slowly, to test time limits)."""

    def __init__(self, recording: Path | str | Mapping[str, Any], delay_s: float = 0.0) -> None:
        data = json.loads(Path(recording).read_text(encoding="utf-8")) if isinstance(recording, (str, Path)) \
            else recording
        self.name = f"recorded-{data.get('platform', '?')}"
        self._snapshot = snapshot_from_recording(data)
        self.delay_s = delay_s
        self.regions: list[Box] = []

    def available(self) -> bool:
        return True

    def snapshot(self, region: Box, timeout_s: float) -> TreeSnapshot:
        self.regions.append(region)
        if self.delay_s:
            time.sleep(min(self.delay_s, timeout_s))
        return self._snapshot
