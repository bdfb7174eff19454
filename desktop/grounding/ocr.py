"""The OCR candidate source: every visible line of text, with word boxes, from the bundled PP-OCRv4 models.

Pipeline for one screenshot (each step's module says why it is built so):

1. the detector runs on the screenshot scaled to ~0.6 Mpx (0.54 for full
   HD), only on tiles that have content, dark tiles inverted
   (``_ocr_detect``); a tile seen before reuses its map;
2. each detected blob is refined on the full-resolution pixels into tight
   line boxes, split where a gap is wider than ~1.5 glyph heights
   (``_ocr_layout``);
3. a classical edge pass adds isolated glyphs the detector dropped
   (``_ocr_fallback``);
4. every line is recognised on a clean background at 40 px height, in
   batches of similar width run on a small thread pool, skipping lines
   already read on an earlier screen (a per-line cache keyed by the crop's
   bytes) (``_ocr_models``); lone "−", "=", "÷", "±", "√" and "." keys are
   named from their shape (``_ocr_glyphs``);
5. word boxes come from the recogniser's character positions snapped to ink
   gaps (``_ocr_words``).

Whole results are cached per ``screen.digest``, so asking again about the
same screen costs a dictionary look-up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from typing import Hashable, TypeVar

import cv2
import numpy as np

from desktop.core.errors import BackendFailed, ClickAssistError, ModelMissing
from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding import _ocr_layout as layout
from desktop.grounding._ocr_detect import detect_map, regions_from_map
from desktop.grounding._ocr_fallback import edge_regions
from desktop.grounding._ocr_glyphs import CONFUSED, DOT_MAX, key_glyph, lone_symbol, operator_symbol
from desktop.grounding._ocr_models import OcrModels, RecText, check_model_files, rapidocr_model_dir
from desktop.grounding._ocr_words import split_words

__all__ = ["OcrSource", "rapidocr_model_dir"]

log = logging.getLogger(__name__)

#: Lines whose mean character probability is below this are dropped.
MIN_LINE_SCORE = 0.5
#: Glyphs found only by the classical pass must be read more surely: an icon
#: read as a letter would otherwise become a clickable "text".
MIN_FALLBACK_SCORE = 0.75
#: Confidence given to an operator key named from its shape ("−", "=", "÷").
_SYMBOL_SCORE = 0.9
_LINE_CACHE_SIZE = 4096
#: Detector maps of content tiles (a tile of a full-HD screen's map is ~0.1-1 MB).
_TILE_CACHE_SIZE = 32
_MIN_SIDE = 5

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Lru(OrderedDict[K, V]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_touch(self, key: K) -> V | None:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class OcrSource:
    """Text lines read by OCR, as :class:`~desktop.core.results.Candidate` objects.

    Parameters
    ----------
    cache_size
        How many screens' results to keep, keyed by ``Screen.digest``.
    threads
        Threads for the detector (onnxruntime intra-op) and for recogniser
        batches (one intra-op thread each); ``None`` uses the CPU count, at most 4.

    Notes
    -----
    Each candidate has ``role="text"``, ``source="ocr"``, the line's text,
    its tight box, the recogniser's mean character probability as ``score``
    and word boxes as ``parts`` (every CJK character is its own part).
    """

    name = "ocr"

    def __init__(self, *, cache_size: int = 8, threads: int | None = None) -> None:
        self._models = OcrModels(threads)
        self._lock = threading.Lock()
        self._screens: _Lru[str, tuple[Candidate, ...]] = _Lru(max(0, cache_size))
        self._lines: _Lru[bytes, RecText] = _Lru(_LINE_CACHE_SIZE)
        self._tiles: _Lru[bytes, np.ndarray] = _Lru(_TILE_CACHE_SIZE)

    def available(self) -> bool:
        """Whether onnxruntime is installed and the bundled model files are present."""
        try:
            check_model_files()
        except ModelMissing:
            return False
        return importlib.util.find_spec("onnxruntime") is not None

    def warm_up(self) -> None:
        """Load both sessions and run them once on a tiny image, so the first real call is fast.

        Raises
        ------
        ModelMissing
            When the model files are not installed.
        BackendFailed
            When onnxruntime cannot load or run them.
        """
        self._models.load()
        blank = np.full((32, 96, 3), 255, np.uint8)
        blank[12:20, 10:80] = 0
        self._models.detect(blank)
        self._models.recognize([blank])

    def candidates(self, screen: Screen, request: SourceRequest) -> list[Candidate]:
        """Every text line on ``screen`` (the request does not narrow OCR, so results are cached per screen).

        Raises
        ------
        ModelMissing
            When the model files are not installed.
        BackendFailed
            When the OCR runtime fails on this image.
        """
        with self._lock:
            cached = self._screens.get_touch(screen.digest)
        if cached is not None:
            return list(cached)
        found = tuple(self.read(screen.image))
        with self._lock:
            if self._screens.size:
                self._screens.put(screen.digest, found)
        return list(found)

    def read(self, image: np.ndarray) -> list[Candidate]:
        """OCR an RGB ``uint8`` array of shape ``(H, W, 3)`` without the screen cache.

        Returns
        -------
        list of Candidate
            Lines in reading order.

        Raises
        ------
        ModelMissing, BackendFailed
            As :meth:`candidates`.
        """
        try:
            return self._read(image)
        except ClickAssistError:
            raise
        except Exception as exc:  # anything else from numpy/cv2/onnxruntime is a backend failure
            log.exception("OCR failed on a %s image", "x".join(map(str, image.shape)))
            raise BackendFailed("Reading the text on the screen failed.", hint=str(exc)) from exc

    def _read(self, image: np.ndarray) -> list[Candidate]:
        self._models.load()  # a missing model is reported even for a blank screen
        h, w = image.shape[:2]
        if h < _MIN_SIDE or w < _MIN_SIDE:
            return []
        image = np.ascontiguousarray(image)
        t0 = time.perf_counter()
        prob, scale = detect_map(self._detect_tile, image)
        t1 = time.perf_counter()
        regions = regions_from_map(image, prob, scale)
        more, dots = edge_regions(image, regions)
        regions += more
        t2 = time.perf_counter()
        texts = self._recognize(image, regions)
        t3 = time.perf_counter()
        found = [c for r, (rec, pad) in zip(regions, texts) if (c := _candidate(image, r, rec, pad))]
        found += [c for r in dots if (c := _lone(image, r))]
        found = _reading_order(_distinct(found))
        log.debug("OCR %dx%d: det %.0f ms, layout %.0f ms, rec %.0f ms (%d regions), words %.0f ms",
                  w, h, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, len(regions),
                  (time.perf_counter() - t3) * 1e3)
        return found

    def _detect_tile(self, tile: np.ndarray) -> np.ndarray:
        """The detector's map of one content tile, reused when the same pixels come again."""
        key = _crop_key(tile)
        with self._lock:
            known = self._tiles.get_touch(key)
        if known is None:
            known = self._models.detect(tile)
            with self._lock:
                self._tiles.put(key, known)
        return known

    def _recognize(self, image: np.ndarray, regions: list[layout.Region]) -> list[tuple[RecText, int]]:
        """Recognise every region's crop, reusing lines read before (same pixels, same text)."""
        crops = [layout.line_crop(image, r) for r in regions]
        keys = [_crop_key(c) for c, _ in crops]
        with self._lock:
            known = [self._lines.get_touch(k) for k in keys]
        todo = [i for i, rec in enumerate(known) if rec is None]
        if todo:
            fresh = self._models.recognize([crops[i][0] for i in todo])
            with self._lock:
                for i, rec in zip(todo, fresh):
                    known[i] = rec
                    self._lines.put(keys[i], rec)
        return [(rec, pad) for rec, (_, pad) in zip(known, crops) if rec is not None]


def _operator(image: np.ndarray, region: layout.Region, read: str = "") -> Candidate | None:
    """A lone "−", "=" or "÷" named from its shape, looking a little above and below the region.

    The dots of a "÷" are separate blobs that a line region may leave out.
    """
    if region.width > 120 or region.height > 120:
        return None
    dy = max(3, region.width // 2)
    h, w = image.shape[:2]
    around = replace(region, x0=max(0, region.x0 - 2), y0=max(0, region.y0 - dy),
                     x1=min(w, region.x1 + 2), y1=min(h, region.y1 + dy))
    ink = layout.ink_mask(image, around)
    symbol = operator_symbol(ink)
    if symbol is None:
        return _lone(image, region, read)
    ys, xs = np.nonzero(ink)
    box = Box(around.x0 + int(xs.min()), around.y0 + int(ys.min()),
              around.x0 + int(xs.max()) + 1, around.y0 + int(ys.max()) + 1)
    return _symbol(symbol, box)


def _symbol(symbol: str, box: Box) -> Candidate:
    return Candidate(box=box, text=symbol, role="text", source="ocr", score=_SYMBOL_SCORE, parts=((symbol, box),))


def _lone(image: np.ndarray, region: layout.Region, read: str = "") -> Candidate | None:
    """A "√", ".", "/", "(", ")", "0" or "*" standing alone (a key of its own), named from its shape.

    ``read`` is the recogniser's unsure guess, which an asterisk needs.

    The detector's box may cut a thin stroke (the long arm of a "√"), so the
    glyph is every ink component that touches the region, looked for in a
    window around it. It stands alone when nothing else is inked within
    half its height (three dot sizes, and at least ``DOT_MAX`` pixels, for a
    dot): a tick in a checkbox or a full stop after a word never is.
    """
    size = max(region.height, region.width)
    pad = max(DOT_MAX, 3 * size) if size <= DOT_MAX and read != "*" else max(3, size // 2)
    m = pad + 2 * size
    h, w = image.shape[:2]
    win = replace(region, x0=max(0, region.x0 - m), y0=max(0, region.y0 - m),
                  x1=min(w, region.x1 + m), y1=min(h, region.y1 + m))
    ink = layout.ink_mask(image, win).astype(np.uint8)
    # Near ink is looked for at a third of the glyph's threshold: a checkbox's
    # frame is often much fainter than the tick in it.
    faint = layout.ink_mask(image, replace(win, threshold=max(16, region.threshold // 3)))
    _, labels = cv2.connectedComponents(ink, connectivity=8)
    own = np.unique(labels[region.y0 - win.y0:region.y1 - win.y0, region.x0 - win.x0:region.x1 - win.x0])
    glyph = np.isin(labels, own[own > 0])
    if not glyph.any():
        return None
    ys, xs = np.nonzero(glyph)
    gx0, gy0, gx1, gy1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    room = (max(0, gx0 - pad), max(0, gy0 - pad), gx1 + pad, gy1 + pad)
    inside = room[0] > 0 or win.x0 == 0, room[1] > 0 or win.y0 == 0, \
        room[2] < ink.shape[1] or win.x1 == w, room[3] < ink.shape[0] or win.y1 == h
    halo = cv2.dilate(glyph.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)  # its own soft edge
    near = faint[room[1]:room[3], room[0]:room[2]] & ~halo[room[1]:room[3], room[0]:room[2]]
    if not all(inside) or near.any():
        return None
    symbol = _named(glyph[gy0:gy1, gx0:gx1], read)
    # Its faint edge must not change the shape: a chevron whose fainter arm
    # fell under the threshold looks like a "√".
    soft = faint & halo
    sy, sx = np.nonzero(soft)
    if symbol is None:
        return None
    # A key glyph's soft edge may blur its proportions; it only must not look like another symbol.
    again = _named(soft[sy.min():sy.max() + 1, sx.min():sx.max() + 1], read)
    if again != symbol and (lone_symbol(glyph[gy0:gy1, gx0:gx1]) is not None or again is not None):
        return None
    return _symbol(symbol, Box(win.x0 + gx0, win.y0 + gy0, win.x0 + gx1, win.y0 + gy1))


def _named(ink: np.ndarray, read: str) -> str | None:
    return lone_symbol(ink) or key_glyph(ink, read)


def _distinct(found: list[Candidate]) -> list[Candidate]:
    """Drop repeats: the same text found twice in overlapping boxes (two pieces of one "=")."""
    kept: list[Candidate] = []
    for c in sorted(found, key=lambda c: -c.score):
        if not any(k.text == c.text and k.box.overlap_of_smaller(c.box) > 0.5 for k in kept):
            kept.append(c)
    return kept


def _reading_order(found: list[Candidate]) -> list[Candidate]:
    """Top to bottom, and left to right within a row of lines whose centres are close."""
    rows: list[list[Candidate]] = []
    for c in sorted(found, key=lambda c: c.box.center[1]):
        if rows and c.box.center[1] - rows[-1][0].box.center[1] < 0.5 * min(c.box.height, rows[-1][0].box.height):
            rows[-1].append(c)
        else:
            rows.append([c])
    return [c for row in rows for c in sorted(row, key=lambda c: c.box.x0)]


def _crop_key(crop: np.ndarray) -> bytes:
    digest = hashlib.blake2b(crop.tobytes(), digest_size=16)
    digest.update(repr(crop.shape).encode())
    return digest.digest()


def _candidate(image: np.ndarray, region: layout.Region, rec: RecText, pad: int) -> Candidate | None:
    floor = MIN_FALLBACK_SCORE if region.fallback else MIN_LINE_SCORE
    ink = layout.ink_mask(image, region)
    text = rec.text.strip()
    if text in CONFUSED or (rec.score < floor and len(text) <= 1):
        symbol = _operator(image, region, text)
        if symbol is not None:
            return symbol
    if rec.score < floor or not text:
        return None
    chars = tuple((c, x - pad, p) for c, x, p in rec.chars)
    words = split_words(chars, ink, (region.x0, region.y0))
    if words is None:
        return None
    return Candidate(box=words.box, text=words.text, role="text", source="ocr",
                     score=float(min(1.0, max(0.0, rec.score))), parts=words.parts)
