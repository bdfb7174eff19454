"""The two PP-OCRv4 networks bundled with ``rapidocr_onnxruntime``, run directly through onnxruntime.

RapidOCR's own pipeline is built for photos and documents: it runs detection at
full resolution, crops rotated quadrilaterals and recognises every crop at a
fixed 48-pixel height. Screen text is upright, crisp and on flat backgrounds,
so this module keeps only the two ONNX sessions and exposes them as two plain
calls: a text-probability map for an image, and text with per-character
positions for a list of line crops.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import cv2
import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing

__all__ = ["DET_FILE", "REC_FILE", "RecText", "OcrModels", "rapidocr_model_dir", "check_model_files"]

log = logging.getLogger(__name__)

DET_FILE = "ch_PP-OCRv4_det_infer.onnx"
REC_FILE = "ch_PP-OCRv4_rec_infer.onnx"

#: Height the recogniser sees. The model was trained at 48; 40 read a set of
#: 260 rendered UI strings as well (260/260 against 259/260) for ~30% less
#: compute, the largest single cost of a full-HD screenshot; 32 lost ~2%.
REC_HEIGHT = 40
#: The recogniser emits one time step per 8 input columns.
REC_STRIDE = 8
#: Most input pixels (batch x height x width) fed to one recogniser call;
#: bounds the memory of a batch of very long lines.
_REC_BATCH_PIXELS = 8 * REC_HEIGHT * 1200
_REC_BATCH_ITEMS = 8
#: Widest crop in a batch relative to its narrowest (the rest is padding).
_BATCH_SPREAD = 1.1


def rapidocr_model_dir() -> Path:
    """Folder holding the ONNX files that ship inside ``rapidocr_onnxruntime``.

    Found from the installed package without importing it (importing it loads
    onnxruntime and its logger set-up, which ``available()`` must not pay for).

    Raises
    ------
    ModelMissing
        When ``rapidocr_onnxruntime`` is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            "The text recognition package is not installed.",
            hint="Install it with: pip install 'rapidocr-onnxruntime>=1.4,<1.5'",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def check_model_files() -> tuple[Path, Path]:
    """Paths of the detection and recognition models, or :class:`ModelMissing` with a hint."""
    folder = rapidocr_model_dir()
    paths = (folder / DET_FILE, folder / REC_FILE)
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise ModelMissing(
            f"Text recognition model files are missing: {', '.join(missing)}.",
            hint=f"Reinstall rapidocr-onnxruntime so that {folder} holds them: "
                 "pip install --force-reinstall 'rapidocr-onnxruntime>=1.4,<1.5'",
        )
    return paths


@dataclass(frozen=True)
class RecText:
    """What the recogniser read in one crop.

    ``chars`` holds ``(character, x, probability)`` with ``x`` the character's
    centre in the crop's own pixel columns, from the CTC time step that emitted it.
    """

    text: str
    score: float
    chars: tuple[tuple[str, float, float], ...]


def _session_options(threads: int | None) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    # Spinning worker threads burn CPU between the many small recogniser
    # calls; on a shared machine that time is taken from everyone else.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return opts


class OcrModels:
    """Lazily loaded detection and recognition sessions (thread-safe)."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._det: Any = None
        self._rec: Any = None
        self._charset: np.ndarray | None = None
        self._fold_from = self._fold_to = self._alike = np.zeros(0, np.int64)
        self._pool: ThreadPoolExecutor | None = None

    def load(self) -> None:
        """Create both sessions once; later calls return at once."""
        if self._rec is not None:
            return
        with self._lock:
            if self._rec is not None:
                return
            det_path, rec_path = check_model_files()
            try:
                import onnxruntime as ort

                providers = ["CPUExecutionProvider"]
                det = ort.InferenceSession(str(det_path), _session_options(self._threads), providers=providers)
                rec = ort.InferenceSession(str(rec_path), _session_options(1), providers=providers)
                chars = rec.get_modelmeta().custom_metadata_map["character"].splitlines()
            except Exception as exc:  # onnxruntime raises its own, untyped errors
                raise BackendFailed("The text recognition models could not be loaded.",
                                    hint=str(exc)) from exc
            # Index 0 is the CTC blank; the model's last class is a space.
            self._charset = np.array(["", *chars, " "], dtype=object)
            self._fold_from, self._fold_to, self._alike = _char_tables(self._charset)
            workers = self._threads or min(4, os.cpu_count() or 1)
            if workers > 1:
                self._pool = ThreadPoolExecutor(workers, thread_name_prefix="ocr-rec")
            self._det = det
            self._rec = rec
            log.debug("OCR sessions loaded from %s", det_path.parent)

    def detect(self, image: np.ndarray) -> np.ndarray:
        """Text probability map of an RGB image whose sides are multiples of 32."""
        self.load()
        x = image.astype(np.float32)
        x *= 1.0 / 127.5
        x -= 1.0
        try:
            out = self._det.run(None, {"x": x.transpose(2, 0, 1)[None]})[0]
        except Exception as exc:
            raise BackendFailed("Text detection failed.", hint=str(exc)) from exc
        return out[0, 0]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[RecText]:
        """Read each RGB crop (one line of text each), in batches of similar width.

        Batches run on a small thread pool (onnxruntime releases the GIL), one
        intra-op thread each: small recogniser inputs parallelise better
        across batches than inside one.
        """
        self.load()
        resized = [_resize_for_rec(c) for c in crops]
        widths = np.array([r.shape[1] for r in resized], dtype=np.int64)
        batches = _batches(widths)

        def run(batch: np.ndarray) -> list[RecText]:
            return self._run_batch([resized[i] for i in batch], [crops[i].shape[1] for i in batch])

        if self._pool is not None and len(batches) > 1:
            # Largest first, so the last batch to finish is a short one.
            order = sorted(range(len(batches)), key=lambda k: -int(widths[batches[k]].sum()))
            done = dict(zip(order, self._pool.map(run, [batches[k] for k in order])))
            outputs = [done[k] for k in range(len(batches))]
        else:
            outputs = [run(b) for b in batches]
        results: list[RecText | None] = [None] * len(crops)
        for batch, texts in zip(batches, outputs):
            for i, text in zip(batch, texts):
                results[i] = text
        return [r for r in results if r is not None]

    def _run_batch(self, images: list[np.ndarray], crop_widths: list[int]) -> list[RecText]:
        widths = [img.shape[1] for img in images]
        width = -(-max(widths) // REC_STRIDE) * REC_STRIDE
        x = np.empty((len(images), REC_HEIGHT, width, 3), dtype=np.float32)
        for row, img in enumerate(images):
            # Columns past a crop's end get its background colour: zero
            # padding (what PaddleOCR does) changes what the recogniser
            # reads in a short crop ("8" or nothing) with the batch's width.
            x[row, :, widths[row]:] = img[0, 0]
            x[row, :, : widths[row]] = img
        x *= 1.0 / 127.5
        x -= 1.0
        try:
            probs = self._rec.run(None, {"x": x.transpose(0, 3, 1, 2)})[0]
        except Exception as exc:
            raise BackendFailed("Text recognition failed.", hint=str(exc)) from exc
        # Full-width forms ("８", "：") split the vote with their ASCII twins
        # on isolated glyphs; on a screen they are the same key.
        probs[..., self._fold_to] += probs[..., self._fold_from]
        probs[..., self._fold_from] = 0.0
        return [self._decode(probs[row], widths[row], crop_widths[row] / widths[row])
                for row in range(len(images))]

    def _decode(self, probs: np.ndarray, width: int, col_scale: float) -> RecText:
        """Greedy CTC decoding that keeps where each character was emitted."""
        steps = max(1, width // REC_STRIDE)
        probs = probs[:steps]
        idx = probs.argmax(axis=1)
        conf = np.take_along_axis(probs, idx[:, None], axis=1)[:, 0]
        keep = idx != 0
        keep[1:] &= idx[1:] != idx[:-1]
        steps_kept = np.flatnonzero(keep)
        if steps_kept.size == 0:
            return RecText("", 0.0, ())
        assert self._charset is not None
        chars = self._charset[idx[steps_kept]]
        # A character emitted over several steps sits at the middle of its run.
        run_end = _run_ends(idx, steps_kept)
        centres = ((steps_kept + run_end) / 2 + 0.5) * REC_STRIDE * col_scale
        # Confidence that the character is right up to case ("x", "X", "×"):
        # what matters for matching a label, and isolated letters split
        # their vote between cases.
        padded = np.concatenate((probs[steps_kept], np.zeros((steps_kept.size, 1), probs.dtype)), axis=1)
        alike = self._alike[idx[steps_kept]]
        probs_kept = np.minimum(1.0, conf[steps_kept] + np.take_along_axis(padded, alike, axis=1).sum(axis=1))
        text = "".join(chars)
        return RecText(text, float(probs_kept.mean()),
                       tuple(zip(chars.tolist(), centres.tolist(), probs_kept.tolist())))


def _char_tables(charset: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-width to ASCII class pairs, and for each class its look-alikes other than itself.

    The look-alike table has one row per class holding up to two other class
    indices (the other case; "x"/"X"/"×" together), padded with ``len(charset)``
    which points at a column of zeros.
    """
    index = {c: i for i, c in enumerate(charset.tolist()) if c}
    fold_from, fold_to = [], []
    for c, i in index.items():
        if len(c) == 1 and 0xFF01 <= ord(c) <= 0xFF5E and chr(ord(c) - 0xFEE0) in index:
            fold_from.append(i)
            fold_to.append(index[chr(ord(c) - 0xFEE0)])
    alike = np.full((len(charset), 2), len(charset), dtype=np.int64)
    for c, i in index.items():
        group = {c, c.swapcase()} | (set("xX×") if c in "xX×" else set())
        others = [index[o] for o in sorted(group - {c}) if o in index][:2]
        alike[i, : len(others)] = others
    return np.array(fold_from, np.int64), np.array(fold_to, np.int64), alike


def _run_ends(idx: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Last time step of the run of equal labels that starts at each of ``starts``."""
    change = np.flatnonzero(np.diff(idx) != 0)  # step i is the last of its run
    if change.size == 0:
        return np.full(starts.shape, idx.size - 1)
    pos = np.searchsorted(change, starts, side="left")
    ends = np.where(pos < change.size, change[np.minimum(pos, change.size - 1)], idx.size - 1)
    return ends


def _resize_for_rec(crop: np.ndarray) -> np.ndarray:
    h, w = crop.shape[:2]
    new_w = max(REC_STRIDE, int(np.ceil(w * REC_HEIGHT / h)))
    interp = cv2.INTER_AREA if h > REC_HEIGHT else cv2.INTER_LINEAR
    return cv2.resize(crop, (new_w, REC_HEIGHT), interpolation=interp)


def _batches(widths: np.ndarray) -> list[np.ndarray]:
    """Indices grouped by similar width (within ~10%), so little of each batch is padding."""
    order = np.argsort(widths, kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < order.size:
        end = start + 1
        while (end < order.size and end - start < _REC_BATCH_ITEMS
               and widths[order[end]] <= _BATCH_SPREAD * widths[order[start]] + REC_STRIDE
               and (end - start + 1) * widths[order[end]] * REC_HEIGHT <= _REC_BATCH_PIXELS):
            end += 1
        batches.append(order[start:end])
        start = end
    return batches
