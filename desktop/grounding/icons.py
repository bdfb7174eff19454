"""Icons without text: the project's trained icon model names what each small drawn thing means.

:class:`IconSource` proposes boxes of non-text things on the screen (see
:mod:`desktop.grounding._icons_proposals`), embeds every crop with the
shipped encoder in one batch, and names it from a vocabulary of ~17k icon
names, aliases and tags. It never looks at the instruction: candidates are
cached per screen, and the engine's matcher compares the person's phrase
with each candidate's ``text`` (best name) and ``description`` (the five
best distinct names), lexically and by meaning.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing
from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._icons_model import IconGuess, IconModel, default_model_dir, model_files_present
from desktop.grounding._icons_proposals import crop_for, is_wordlike, propose_boxes

__all__ = ["IconSource", "name_icons"]

logger = logging.getLogger(__name__)

#: Proposals the model thinks are more likely text or clutter than an icon are dropped.
MIN_ICON_PROBABILITY = 0.5
#: Even an unsure top name is worth keeping: the five names in ``description`` often hold the right one.
MIN_SCORE = 0.02
_CACHE = 8


def name_icons(model: IconModel, image: np.ndarray, boxes: Sequence[Box],
               inset: Sequence[bool] | None = None) -> list[IconGuess | None]:
    """Name what is drawn in each box of ``image`` (one batched model call).

    ``inset[i]`` crops box ``i`` just inside its edge, for a button whose
    frame is known (its own colour is then the background).
    """
    crops = []
    for i, box in enumerate(boxes):
        if inset is not None and inset[i] and box.width > 8 and box.height > 8:
            b = box.expand(-2)
            crops.append(image[int(b.y0):int(b.y1), int(b.x0):int(b.x1)])
        else:
            crops.append(crop_for(image, box))
    return model.classify(crops)


def _word_boxes(found: Sequence[Candidate]) -> list[Box]:
    """Boxes of real words OCR read. Word boxes, not line boxes: OCR often reads a row of
    icons and the labels after them as one line ("8 Layers Zoom"), and the icons must stay open."""
    out: list[Box] = []
    for cand in found:
        if cand.role != "text":
            continue
        if cand.parts:
            out.extend(box for text, box in cand.parts if is_wordlike(text))
        elif is_wordlike(cand.text):
            out.append(cand.box)
    return out


class IconSource:
    """Candidate source ``icons``: non-text controls named by the trained icon model.

    Parameters
    ----------
    model_dir
        Where the model files are (default ``models/icons`` of this checkout).
    """

    name = "icons"

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model = IconModel(model_dir or default_model_dir())
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[Candidate, ...]] = OrderedDict()

    def available(self) -> bool:
        """Whether onnxruntime and the model files are here."""
        return importlib.util.find_spec("onnxruntime") is not None and model_files_present(self._model.model_dir)

    def warm_up(self) -> None:
        self._model.load()

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        """Named icon candidates of ``screen`` (cached by its content)."""
        with self._lock:
            cached = self._cache.get(screen.digest)
        if cached is not None:
            return cached
        try:
            found = tuple(self._find(screen.image, request.found_so_far))
        except (ModelMissing, BackendFailed):
            raise
        except (ValueError, RuntimeError, MemoryError, OSError) as exc:
            raise BackendFailed(f"The icon source failed: {exc}") from exc
        with self._lock:
            self._cache[screen.digest] = found
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
        return found

    def _find(self, image: np.ndarray, found_so_far: Sequence[Candidate]) -> list[Candidate]:
        text_boxes = _word_boxes(found_so_far)
        buttons = [c.box for c in found_so_far if c.role == "button" and not c.text.strip()]
        boxes = propose_boxes(image, text_boxes, buttons)
        if not boxes:
            return []
        inset = [i < len(buttons) for i in range(len(boxes))]
        guesses = name_icons(self._model, image, boxes, inset)
        out = []
        for box, guess in zip(boxes, guesses):
            if guess is None or not guess.names or guess.icon_probability < MIN_ICON_PROBABILITY:
                continue
            if guess.score < MIN_SCORE:
                continue
            out.append(Candidate(box=box, text=guess.names[0], role="icon", source=self.name,
                                 score=round(guess.score, 4), description=" ".join(guess.names)))
        logger.debug("icons: %d proposals, %d named", len(boxes), len(out))
        return out
