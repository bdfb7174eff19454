"""Checkbox and radio indicators, and switch tracks, found by their outline.

An indicator is a small ink component whose outline is a square (polygon
fill near 1) or a circle (near pi/4), whose border runs all the way round,
that nothing crowds from the side (letters in a word sit a pixel or two
apart), and whose inside is either flat (unchecked) or holds one centred
mark: a tick, a dash or a dot. The mark often touches the border at small
sizes, so the inside is judged from ink pixels rather than from holes.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._controls_found import Found
from desktop.grounding._controls_scene import Scene

__all__ = ["find_indicators", "crowded", "in_word", "side_ink", "radius_spread", "box_of", "drawn_box"]

#: Outline heights (ink band included, so drawn size + 2) of indicators 10-46 px across.
_MIN_SIZE, _MAX_SIZE = 12, 48
#: An unchecked indicator's inside is the base colour, close to its surroundings;
#: a solid bullet or icon of the same shape differs by far more than this.
_MAX_FLAT_CONTRAST = 100
#: Share of a checked indicator's middle in its two colours and their blends.
_ON_SEGMENT = 0.85


def drawn_box(scene: Scene, index: int) -> Box:
    # The ink band reaches one pixel past the drawn edge on every side.
    x0, y0, x1, y1 = (int(v) for v in scene.boxes[index])
    return Box(x0 + 1, y0 + 1, x1, y1)


def crowded(scene: Scene, box: Box, gap: int) -> bool:
    """Whether ink lies within ``gap`` pixels left or right of ``box`` (its middle rows)."""
    return any(side_ink(scene, box, gap))


def side_ink(scene: Scene, box: Box, gap: int) -> tuple[bool, bool]:
    """Whether ink lies within ``gap`` pixels left of, and right of, ``box`` (its middle rows)."""
    y0, y1 = int(box.y0) + 1, int(box.y1) - 2
    left = scene.ink_in(int(box.x0) - 1 - gap, y0, int(box.x0) - 2, y1)
    right = scene.ink_in(int(box.x1) + 1, y0, int(box.x1) + gap, y1)
    return left > 0, right > 0


def in_word(scene: Scene, box: Box) -> bool:
    """Letters sit close on both sides, or touch on one; a control keeps a little space.

    GTK puts a checkbox's label two ink-free pixels away, so a single close
    neighbour is allowed; a letter inside a word has one on each side.
    """
    left, right = side_ink(scene, box, max(2, int(round(0.18 * box.height))))
    if left and right:
        return True
    return any(side_ink(scene, box, max(1, int(round(0.05 * box.height)))))


def radius_spread(scene: Scene, index: int) -> float:
    """Spread of the outline's distance from its centre, relative to its mean (0 for a circle)."""
    x0, y0, x1, y1 = box_of(scene, index)
    points = scene.contours[index].reshape(-1, 2).astype(np.float64)
    radius = np.hypot(points[:, 0] - (x0 + x1) / 2, points[:, 1] - (y0 + y1) / 2)
    return float(radius.std()) / max(float(radius.mean()), 1e-6)


def _circular(scene: Scene, index: int) -> bool:
    """The outline keeps one distance from its centre: a radio, not a gear, a flower or a blob of letters."""
    return radius_spread(scene, index) <= 0.07


def _ring_closed(scene: Scene, index: int, round_shape: bool) -> bool:
    """The border runs all the way round (sampled one pixel inside the outline)."""
    x0, y0, x1, y1 = (int(v) for v in scene.boxes[index])
    if round_shape:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        rx, ry = (x1 - x0) / 2 - 1, (y1 - y0) / 2 - 1
        angles = np.linspace(0, 2 * math.pi, 24, endpoint=False)
        xs = np.round(cx + rx * np.cos(angles)).astype(int)
        ys = np.round(cy + ry * np.sin(angles)).astype(int)
        return float(scene.ink[ys, xs].mean()) >= 0.9
    w, h = x1 - x0, y1 - y0
    cols = slice(x0 + int(0.25 * w), x1 - int(0.25 * w) + 1)
    rows = slice(y0 + int(0.25 * h), y1 - int(0.25 * h) + 1)
    sides = [scene.ink[y0 + 1, cols], scene.ink[y1 - 1, cols], scene.ink[rows, x0 + 1], scene.ink[rows, x1 - 1]]
    return min(float(side.mean()) for side in sides) >= 0.9


def box_of(scene: Scene, index: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (int(v) for v in scene.boxes[index])
    return x0, y0, x1, y1


def _height(scene: Scene, index: int) -> int:
    return int(scene.boxes[index, 3] - scene.boxes[index, 1] + 1)


def _width(scene: Scene, index: int) -> int:
    return int(scene.boxes[index, 2] - scene.boxes[index, 0] + 1)


def _largest_kid(scene: Scene, index: int) -> int | None:
    best, best_area = None, -1
    for kid in scene.kids(index):
        x0, y0, x1, y1 = box_of(scene, kid)
        area = (x1 - x0 + 1) * (y1 - y0 + 1)
        if area > best_area:
            best, best_area = kid, area
    return best


def _covers(scene: Scene, inner: int, outer: int, share: float) -> bool:
    """``inner`` spans at least ``share`` of ``outer`` both ways and sits in its middle.

    The hole of an unchecked indicator is centred by construction; the pieces
    a tick cuts it into are not.
    """
    ix0, iy0, ix1, iy1 = box_of(scene, inner)
    ox0, oy0, ox1, oy1 = box_of(scene, outer)
    ow, oh = ox1 - ox0 + 1, oy1 - oy0 + 1
    slack = max(1.5, 0.1 * max(ow, oh))  # 3D borders are thicker top-left
    centred = abs(ix0 + ix1 - ox0 - ox1) / 2 <= slack and abs(iy0 + iy1 - oy0 - oy1) / 2 <= slack
    return centred and ix1 - ix0 + 1 >= share * ow and iy1 - iy0 + 1 >= share * oh


def _mark(scene: Scene, index: int, outside: float | None = None, depth: int = 0) -> frozenset[str] | None:
    """What the outline ``index`` holds: ``{}`` flat, ``{"checked"}``, ``{"mixed"}``; None for anything else.

    The inside of an unchecked indicator is one clean hole. A tick, dash or
    dot shows as ink inside that hole, or, when it touches the border at
    small sizes, breaks the hole into fragments. A thick border drawn as two
    lines leaves a thin ring-shaped hole holding a second outline: look
    inside that one instead.
    """
    if outside is None:
        outside = _outside_gray(scene, index)
    main = _largest_kid(scene, index)
    # A clean hole has the outline's shape; one a tick runs into is ragged.
    # Small holes lose area to pixel steps, hence the size-dependent slack.
    clean = (main is not None and _covers(scene, main, index, 0.4)
             and scene.fill(main) >= scene.fill(index) - 0.12 - 1.5 / _height(scene, main))
    if main is None or not clean:
        return _merged_mark(scene, index)
    kids = scene.kids(main)
    if not kids:
        # A small flat hole in a thick ring is a radio's dot (merged with the ring by
        # anti-aliasing), provided a band of another colour separates the two.
        dot = _dot_in_ring(scene, index, main)
        if dot and _width(scene, main) <= 0.48 * _width(scene, index):
            return frozenset({"checked"})
        if _flat_inside(scene, main, outside):
            return frozenset()
        return frozenset({"checked"}) if dot else None
    biggest = _largest_kid(scene, main)
    if (len(kids) == 1 and biggest is not None and depth < 2 and _covers(scene, biggest, main, 0.75)
            and scene.fill(biggest) >= scene.fill(index) - 0.15):
        return _mark(scene, biggest, outside, depth + 1)  # an inner outline of the same shape
    return _kid_mark(scene, main, kids, scene.fill(index) < 0.86)


def _dot_in_ring(scene: Scene, index: int, hole: int) -> bool:
    """A solid dot inside a ring with a lighter gap between (a checked radio), not a solid bullet.

    Walking in from outside along the midline, a bullet's grey level moves
    monotonically from the background to its own colour; a ring with a gap
    moves away from the background, back towards it, then to the dot.
    """
    x0, y0, x1, y1 = box_of(scene, index)
    hx0, hy0, hx1, hy1 = box_of(scene, hole)
    if hx1 - hx0 + 1 > 0.7 * (x1 - x0 + 1):
        return False
    cy = (hy0 + hy1) // 2
    dot = float(np.median(scene.gray[hy0 + 1:hy1, hx0 + 1:hx1])) if hy1 - hy0 > 1 else float(scene.gray[cy, hx0])
    outside = float(scene.gray[cy, max(x0 - 1, 0)])
    if abs(outside - dot) < 30:
        return False
    walk = (scene.gray[cy, x0:hx0 + 1].astype(np.float64) - dot) / (outside - dot)
    rise = walk - np.minimum.accumulate(walk)
    return float(rise.max()) >= 0.3


def _kid_mark(scene: Scene, hole: int, kids: list[int], round_shape: bool = False) -> frozenset[str] | None:
    """The state from the marks inside a clean hole; a radio's mark must be a dot (or a dash)."""
    x0, y0, x1, y1 = box_of(scene, hole)
    boxes = scene.boxes[kids]
    kx0, ky0 = int(boxes[:, 0].min()), int(boxes[:, 1].min())
    kx1, ky1 = int(boxes[:, 2].max()), int(boxes[:, 3].max())
    w, h = x1 - x0 + 1, y1 - y0 + 1
    if abs((kx0 + kx1 - x0 - x1) / 2) > 0.2 * w or abs((ky0 + ky1 - y0 - y1) / 2) > 0.2 * h:
        return None
    kw, kh = kx1 - kx0 + 1, ky1 - ky0 + 1
    if kw < 0.25 * w and kh < 0.25 * h:
        return None  # a speck, not a mark
    if kh <= 0.3 * h and kw >= 0.4 * w:
        return frozenset({"mixed"})
    if round_shape and (len(kids) != 1 or scene.fill(kids[0]) < 0.6 or not 0.75 <= kw / kh <= 1.33):
        return None  # a tick or a glyph in a circle is an icon, not a radio's dot
    return frozenset({"checked"}) if _few_colours(scene, x0, y0, x1, y1) else None


def _merged_mark(scene: Scene, index: int) -> frozenset[str] | None:
    """The state from a mark merged with the border: centred, in few colours, and for a radio symmetric.

    A dash (mixed state) is a flat bar across the middle; a radio's dot is
    symmetric both ways, unlike a tick or a glyph in a round icon.
    """
    x0, y0, x1, y1 = box_of(scene, index)
    w, h = x1 - x0 + 1, y1 - y0 + 1
    core = scene.ink[y0 + h // 4:y1 - h // 4 + 1, x0 + w // 4:x1 - w // 4 + 1]
    ys, xs = np.nonzero(core)
    if len(xs) < 2:
        return None
    ch, cw = core.shape
    if abs(xs.mean() - (cw - 1) / 2) > 0.25 * cw or abs(ys.mean() - (ch - 1) / 2) > 0.25 * ch:
        return None
    if not _few_colours(scene, x0, y0, x1, y1):
        return None
    kw, kh = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    if kh <= 0.6 * ch and kw >= 0.7 * cw:
        return frozenset({"mixed"})
    if scene.fill(index) < 0.86 and not (0.7 <= kw / kh <= 1.4 and _symmetric(core)):
        return None
    return frozenset({"checked"})


def _symmetric(core: np.ndarray) -> bool:
    """Mirror-symmetric both ways, allowing a pixel of shift (a drop shadow makes outlines uneven)."""
    def best(a: np.ndarray, b: np.ndarray, axis: int) -> float:
        scores = []
        for shift in (-1, 0, 1):
            c = np.roll(b, shift, axis=axis)
            union = np.count_nonzero(a | c)
            scores.append(np.count_nonzero(a & c) / union if union else 1.0)
        return max(scores)
    core = core > 0
    return best(core, core[:, ::-1], 1) >= 0.6 and best(core, core[::-1], 0) >= 0.6


def _few_colours(scene: Scene, x0: int, y0: int, x1: int, y1: int) -> bool:
    """A tick or dot is one colour on one background, plus the blends between them.

    Every pixel of such a mark lies near the colour line through the two;
    icons (a floppy disk, a folder) have colours off that line.
    """
    w, h = x1 - x0 + 1, y1 - y0 + 1
    patch = scene.image[y0 + h // 6:y1 - h // 6 + 1, x0 + w // 6:x1 - w // 6 + 1].reshape(-1, 3)
    if len(patch) < 4:
        return True
    pixels = patch.astype(np.float32)
    codes = (patch[:, 0] >> 5).astype(np.int32) * 64 + (patch[:, 1] >> 5) * 8 + (patch[:, 2] >> 5)
    counts = np.bincount(codes, minlength=512)
    first = pixels[codes == int(np.argmax(counts))].mean(axis=0)
    far = np.linalg.norm(pixels - first, axis=1) >= 60
    if not far.any():
        return True
    far_codes = np.bincount(codes[far], minlength=512)
    second = pixels[far & (codes == int(np.argmax(far_codes)))].mean(axis=0)
    seg = second - first
    t = (pixels - first) @ seg / float(seg @ seg)  # the whole line: a dot may have a darker rim
    off = np.linalg.norm(pixels - (first + t[:, None] * seg), axis=1)
    return float((off <= 40).mean()) >= _ON_SEGMENT


def _outside_gray(scene: Scene, index: int) -> float:
    x0, y0, x1, y1 = box_of(scene, index)
    ring = [scene.gray[max(y0 - 1, 0), x0:x1 + 1], scene.gray[min(y1 + 1, scene.height - 1), x0:x1 + 1]]
    return float(np.median(np.concatenate(ring)))


def _flat_inside(scene: Scene, hole: int, outside: float) -> bool:
    """An unchecked inside is the base colour, close to its surroundings (unlike a solid bullet)."""
    x0, y0, x1, y1 = box_of(scene, hole)
    inside = scene.gray[y0 + 1:y1, x0 + 1:x1]
    if inside.size == 0:
        return True
    return abs(float(np.median(inside)) - outside) <= _MAX_FLAT_CONTRAST


def find_indicators(scene: Scene) -> list[Found]:
    """Checkbox and radio indicators (labels not yet attached).

    Parameters
    ----------
    scene
        The traced screenshot.

    Returns
    -------
    list of Found
        ``checkbox`` / ``radio`` detections whose box is the indicator itself.
    """
    out: list[Found] = []
    solid: list[Found] = []
    for index in scene.sized(scene.blob_ids, _MIN_SIZE, _MAX_SIZE, (0.8, 1.25)):
        index = int(index)
        x0, y0, x1, y1 = box_of(scene, index)
        if abs((x1 - x0) - (y1 - y0)) > max(1.5, 0.08 * (y1 - y0)) and not _square_hole(scene, index):
            continue  # indicators are drawn square; letters such as o, O and D are not
        fill = scene.fill(index)
        if not 0.66 <= fill:
            continue
        round_shape = fill < 0.86
        if not _ring_closed(scene, index, round_shape) or (round_shape and not _circular(scene, index)):
            continue
        box = drawn_box(scene, index)
        if in_word(scene, box):
            continue
        role = "radio" if round_shape else "checkbox"
        states = _mark(scene, index)
        if states is None:
            if _solid(scene, index):
                solid.append(Found(role, box, 0.6))
            continue
        score = 0.6 if states != {"checked"} or _few_colours(scene, x0, y0, x1, y1) else 0.45
        out.append(Found(role, box, score, states))
    return _outermost(out + _in_column(solid, out) + _in_row(scene, solid, out))


def _solid(scene: Scene, index: int) -> bool:
    """The outline holds one flat fill of another colour than its surroundings: a bullet, or a filled indicator."""
    hole = _largest_kid(scene, index)
    if hole is None or scene.kids(hole) or not _covers(scene, hole, index, 0.6):
        return False
    x0, y0, x1, y1 = box_of(scene, hole)
    inside = scene.gray[y0 + 1:y1, x0 + 1:x1].astype(np.int16)
    # Anti-aliasing blends the hole's rim, so judge by the share of pixels at the fill's own level.
    return inside.size > 0 and float((np.abs(inside - np.median(inside)) <= 12).mean()) >= 0.8


def _in_column(solid: list[Found], indicators: list[Found]) -> list[Found]:
    """Solid shapes of an indicator's role and size, in its column: unchecked indicators of a filled theme.

    Chromium's dark form controls draw an unchecked radio as a plain white
    disc, which alone is a bullet; one of a column of radios is not.
    """
    out: list[Found] = []
    for s in solid:
        h = s.box.height
        if any(i.role == s.role and abs(i.box.x0 - s.box.x0) <= 2 and abs(i.box.height - h) <= 2
               and abs(i.box.width - s.box.width) <= 2 and abs(i.box.y0 - s.box.y0) <= 8 * h for i in indicators):
            out.append(replace(s, states=frozenset()))
    return out


def _in_row(scene: Scene, solid: list[Found], indicators: list[Found]) -> list[Found]:
    """Solid shapes of an indicator's role and size on its row: a row of check boxes where one is filled.

    Tk's default theme fills a checked box with one flat colour (IDLE's Find
    dialog: "Whole word ☐  Wrap around ■"). A fill unlike the outlined
    peers' insides is the checked state; one like them, the unchecked state
    of a filled theme.
    """
    out: list[Found] = []
    for s in solid:
        h = s.box.height
        peers = [i for i in indicators if i.role == s.role and abs(i.box.y0 - s.box.y0) <= 2
                 and abs(i.box.height - h) <= 1 and abs(i.box.width - s.box.width) <= 1
                 and abs(i.box.x0 - s.box.x0) > 2 and abs(i.box.x0 - s.box.x0) <= 40 * h]
        if not peers:
            continue
        fill = _inside_gray(scene, s.box)
        unlike = all(abs(fill - _inside_gray(scene, p.box)) > 40 for p in peers)
        out.append(replace(s, states=frozenset({"checked"}) if unlike else frozenset()))
    return out


def _inside_gray(scene: Scene, box: Box) -> float:
    """The median grey level of an indicator's inside (its middle half, where a mark rarely fills all)."""
    dx, dy = max(1, int(box.width) // 4), max(1, int(box.height) // 4)
    x0, y0 = int(box.x0) + dx, int(box.y0) + dy
    inside = scene.gray[y0:max(y0 + 1, int(box.y1) - dy), x0:max(x0 + 1, int(box.x1) - dx)]
    return float(np.median(inside)) if inside.size else 0.0


def _square_hole(scene: Scene, index: int) -> bool:
    """A square, centred hole in a not-quite-square outline: an indicator whose 3D shading thickens two sides.

    Qt's Fusion style shades a checkbox's top and bottom edges in bands of
    several grey levels, which all count as ink. Letters' counters (o, O, D)
    are never square.
    """
    hole = _largest_kid(scene, index)
    if hole is None or not _covers(scene, hole, index, 0.5):
        return False
    x0, y0, x1, y1 = box_of(scene, index)
    return abs(_width(scene, hole) - _height(scene, hole)) <= 1 and abs((x1 - x0) - (y1 - y0)) <= 0.15 * (y1 - y0)


def _outermost(found: list[Found]) -> list[Found]:
    """Drop indicators drawn inside another one (the dot of a radio, the inner line of a double border)."""
    keep = []
    for f in found:
        if not any(g is not f and g.box.area > f.box.area and g.box.overlap_of_smaller(f.box) > 0.8
                   for g in found):
            keep.append(f)
    return keep
