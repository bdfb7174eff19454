"""Toggle switches found by their outline: a pill-shaped track with a round knob at one end."""

from __future__ import annotations

from desktop.grounding._controls_found import Found
from desktop.grounding._controls_indicators import box_of, crowded, drawn_box, radius_spread
from desktop.grounding._controls_scene import Scene

__all__ = ["find_switches"]


def find_switches(scene: Scene) -> list[Found]:
    """Toggle switches: a pill-shaped track holding a round knob at one end.

    Parameters
    ----------
    scene
        The traced screenshot.

    Returns
    -------
    list of Found
        ``switch`` detections whose box is the track; ``checked`` when the knob is on the right.
    """
    out: list[Found] = []
    for index in scene.sized(scene.blob_ids, 14, 62, (1.4, 3.0)):
        index = int(index)
        if not 0.76 <= scene.fill(index) <= 0.97 or not _track_closed(scene, index):
            continue
        x0, y0, x1, y1 = box_of(scene, index)
        side = _knob_side(scene, index, x0, x1, y1 - y0 + 1, (y0 + y1) / 2)
        if side is None:
            continue
        box = drawn_box(scene, index)
        if crowded(scene, box, max(2, int(0.15 * box.height))):
            continue
        states = frozenset({"checked"}) if side == "right" else frozenset()
        out.append(Found("switch", box, 0.7, states))
    return out


def _track_closed(scene: Scene, index: int) -> bool:
    """The track's straight top and bottom edges run unbroken (letters run together do not)."""
    x0, y0, x1, y1 = box_of(scene, index)
    r = (y1 - y0) // 2
    if x1 - r - (x0 + r) < 2:
        return False
    top = scene.ink[y0 + 1, x0 + r:x1 - r + 1]
    bottom = scene.ink[y1 - 1, x0 + r:x1 - r + 1]
    return min(float(top.mean()), float(bottom.mean())) >= 0.9


def _knob_side(scene: Scene, index: int, x0: int, x1: int, height: int, cy: float) -> str | None:
    """``"left"``/``"right"`` when a round knob sits at that end of the track, else None.

    The knob is the roundest part of knob size; the rest of the track beside
    it can be nearly as tall and wide, but its outline is not a circle.
    """
    parts = []
    for hole in scene.kids(index):
        parts.append(hole)
        parts.extend(scene.kids(hole))
    best, best_spread = None, 0.1
    for part in parts:
        kx0, ky0, kx1, ky1 = (int(v) for v in scene.boxes[part])
        kw, kh = kx1 - kx0 + 1, ky1 - ky0 + 1
        if not (0.75 <= kw / max(kh, 1) <= 1.33 and kh >= 0.5 * height):
            continue
        if abs((ky0 + ky1) / 2 - cy) > 0.15 * height:
            continue
        spread = radius_spread(scene, part)
        if spread < best_spread:
            best, best_spread = (kx0, kx1), spread
    if best is None:
        return None
    if best[0] - x0 <= 0.3 * height:
        return "left"
    if x1 - best[1] <= 0.3 * height:
        return "right"
    return None
