"""Icons without text: the project's trained icon model names what each small drawn thing means.

:class:`IconSource` proposes boxes of non-text things on the screen (see
:mod:`desktop.grounding._icons_proposals`), embeds every crop with the
shipped encoder in one batch, and names it from a vocabulary of ~17k icon
names, aliases and tags; the engine's matcher compares the person's phrase
with each candidate's ``text`` (best name) and ``description`` (the five
best distinct names). For the phrases of the instruction it also ranks the
crops by how much of the model's belief falls on the phrase's meaning,
which finds icons whose right name is not among those five.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing
from desktop.core.geometry import Box
from desktop.core.opposites import opposed
from desktop.core.results import Candidate
from desktop.core.textmatch import equivalents, normalize
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._icons_directions import direction_of, pointing_names
from desktop.grounding._icons_objects import action_index, action_rows
from desktop.grounding._icons_model import Beliefs, IconModel, default_model_dir, model_files_present
from desktop.grounding._icons_proposals import crop_for, is_wordlike, propose_boxes
from desktop.grounding._icons_query import MAX_PER_PHRASE, MIN_MASS, SYNONYM_COSINE, icon_phrases, mass_to_score
from desktop.grounding._window_controls import (CONTROL_LOOKS, CONTROL_NAMES, as_clear_buttons,
                                                find_window_controls, known_controls, window_control_candidates)

if TYPE_CHECKING:
    from desktop.grounding.semantic import MiniLmSimilarity

__all__ = ["IconSource", "Proposals", "icon_crops", "icon_proposals"]

logger = logging.getLogger(__name__)

#: Proposals the model thinks are more likely text or clutter than an icon are dropped.
MIN_ICON_PROBABILITY = 0.5
#: Even an unsure top name is worth keeping: the five names in ``description`` often hold the right one.
MIN_SCORE = 0.02
#: A phrase this close (MiniLM cosine) to a control's name or look is about that control.
CONTROL_COSINE = 0.75
#: A crop known by its place (a window's close button, a field's clear "×") holds at least this
#: much belief on its own name: the place says what the glyph alone cannot.
KNOWN_MASS = 0.9
#: ...and what it holds on phrases that neither name nor describe it is scaled by this.
UNKNOWN_SCALE = 0.05
_CACHE = 8


def icon_crops(image: np.ndarray, boxes: Sequence[Box], inset: Sequence[bool] | None = None) -> list[np.ndarray]:
    """What the model looks at for each box of ``image``.

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
    return crops


def _subset(beliefs: Beliefs, rows: Sequence[bool]) -> Beliefs:
    keep = np.asarray(rows, bool)
    return Beliefs(beliefs.cosines[keep], beliefs.log_normaliser[keep], beliefs.background[keep],
                   beliefs.embeddings[keep])


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


#: A proposal with words of its own line this close on both sides (in line heights) is part of the text.
_WORD_GAP = 0.5


def _text_lines(found: Sequence[Candidate]) -> list[tuple[Box, list[Box]]]:
    """Each OCR line read word by word: its box and its real words' boxes."""
    lines = []
    for cand in found:
        if cand.role == "text" and cand.parts:
            words = [box for text, box in cand.parts if is_wordlike(text)]
            if len(words) >= 2:
                lines.append((cand.box, words))
    return lines


def _between_words(box: Box, lines: Sequence[tuple[Box, list[Box]]]) -> bool:
    """Whether ``box`` lies in a line of text with words at word spacing on both sides.

    OCR's word boxes miss bits of letters (the join of "s w" in "this
    weekend") and leave punctuation ("notes.md - Notes"): what is left
    between two words a space apart is text, though the model may read
    it as a small icon. An icon between two labels is set further apart.
    """
    cx, cy = box.center
    for line, words in lines:
        if not line.y0 <= cy <= line.y1 or box.height > 1.3 * line.height:
            continue
        gap = _WORD_GAP * line.height
        left = any(w.x0 < box.x0 and w.x1 >= box.x0 - gap for w in words)
        right = any(w.x1 > box.x1 and w.x0 <= box.x1 + gap for w in words)
        if left and right:
            return True
    return False


@dataclass(frozen=True)
class Proposals:
    """Where a screen's icons may be: ``boxes`` worth naming (the first ``buttons`` are icon-only
    buttons the controls source found), and every raw proposal (``proposed``)."""

    boxes: tuple[Box, ...]
    buttons: int
    proposed: tuple[Box, ...]


#: Controls whose outline is no icon crop when they say a word ("Close").
_WORDED_ROLES = frozenset({"button", "tab", "dropdown", "field", "menu", "menuitem", "link"})
#: Roles of earlier candidates that shape the proposals (words blank, buttons add, indicators and
#: worded controls' outlines drop).
_SHAPING = frozenset({"text", "checkbox", "radio", "switch"}) | _WORDED_ROLES
_proposals_cache: OrderedDict[tuple, Proposals] = OrderedDict()
_proposals_lock = threading.Lock()


def icon_proposals(image: np.ndarray, found_so_far: Sequence[Candidate], key: str | None = None) -> Proposals:
    """The boxes of ``image`` that may be icons, given what earlier sources found there.

    Words OCR read are blanked first; a labelled check box's indicator and
    bits of letters between two words are no icons. With ``key`` (the
    screen's content digest) the answer is kept for the next source that
    asks about the same screen and findings (the theme source, then the
    icon model): finding them costs tens of milliseconds on a full-HD screen.
    """
    if key is None:
        return _propose(image, found_so_far)
    shaping = tuple((c.box, c.role, c.text, c.parts) for c in found_so_far if c.role in _SHAPING)
    cache_key = (key, hash(shaping))
    with _proposals_lock:
        cached = _proposals_cache.get(cache_key)
    if cached is not None:
        return cached
    proposals = _propose(image, found_so_far)
    with _proposals_lock:
        _proposals_cache[cache_key] = proposals
        while len(_proposals_cache) > 4:
            _proposals_cache.popitem(last=False)
    return proposals


def _propose(image: np.ndarray, found_so_far: Sequence[Candidate]) -> Proposals:
    buttons = [c.box for c in found_so_far if c.role == "button" and not c.text.strip()]
    proposed = propose_boxes(image, _word_boxes(found_so_far), buttons)
    # A check box's or radio's indicator is a control already named; as a crop, an empty
    # square reads as "stop" and a ring as "record" (lxappearance's "Check Button" was "Stop").
    # Only labelled ones: a title bar's maximize square passes for an unlabelled check box.
    indicators = [c.box for c in found_so_far if c.role in ("checkbox", "radio", "switch") and c.text.strip()]
    # The outline of a button that says a word ("Close") is that button, not an icon: as a crop
    # the model reads the letters in their frame as some name ("new" at 90%). An icon inside one
    # is proposed by its own smaller box.
    worded = [c.box for c in found_so_far if c.role in _WORDED_ROLES and is_wordlike(c.text)]
    lines = _text_lines(found_so_far)
    boxes = proposed[:len(buttons)] + [b for b in proposed[len(buttons):]
                                       if not any(b.iou(i) > 0.5 for i in indicators)
                                       and not any(b.iou(w) > 0.6 for w in worded)
                                       and not _between_words(b, lines)]
    return Proposals(tuple(boxes), len(buttons), tuple(proposed))


@dataclass(frozen=True)
class _ScreenIcons:
    """What the model made of one screen: named candidates and every crop's beliefs."""

    named: tuple[Candidate, ...] = ()
    boxes: tuple[Box, ...] = ()
    beliefs: Beliefs | None = None
    known: tuple[str | None, ...] = ()   # per box: the control its place says it is (``known_controls``)


class IconSource:
    """Candidate source ``icons``: non-text controls named by the trained icon model.

    Every proposal that looks like an icon comes out named (for "click all
    icons", anchors and the numbers overlay). The source is also
    *conditioned*: for each phrase of the instruction it adds the crops
    whose beliefs fall most on that phrase's meaning, with ``text`` set to
    the phrase (see :mod:`desktop.grounding._icons_query`). What the screen
    says around a crop weighs in where the model sees look-alikes: a
    window's own buttons and a field's clear "×" answer their own names
    only, a direction word counts the arrows pointing its way, and bits of
    letters OCR left between two words are no icons.

    Parameters
    ----------
    model_dir
        Where the model files are (default ``models/icons`` of this checkout).
    """

    name = "icons"
    conditioned = True

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model = IconModel(model_dir or default_model_dir())
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, _ScreenIcons] = OrderedDict()
        self._text: MiniLmSimilarity | None = None   # the shared MiniLM, on first use
        self._pointing: dict[str, list[int]] = {}       # vocabulary rows of arrows, by direction
        self._acting: dict[str, list[int]] | None = None  # vocabulary rows of "document <action>", by action

    def available(self) -> bool:
        """Whether onnxruntime and the model files are here."""
        return importlib.util.find_spec("onnxruntime") is not None and model_files_present(self._model.model_dir)

    def warm_up(self) -> None:
        self._model.load()

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        """Named icons of ``screen`` (cached by its content), then the best crops for each phrase."""
        try:
            icons = self._screen_icons(screen, request.found_so_far)
            out = list(icons.named)
            for phrase in icon_phrases(request.intent):
                out.extend(self._phrase_candidates(icons, phrase))
        except (ModelMissing, BackendFailed):
            raise
        except (ValueError, RuntimeError, MemoryError, OSError) as exc:
            raise BackendFailed(f"The icon source failed: {exc}") from exc
        return out

    def _screen_icons(self, screen: Screen, found_so_far: Sequence[Candidate]) -> _ScreenIcons:
        with self._lock:
            cached = self._cache.get(screen.digest)
        if cached is not None:
            return cached
        icons = self._find(screen.image, found_so_far, screen.digest)
        with self._lock:
            self._cache[screen.digest] = icons
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
        return icons

    def _find(self, image: np.ndarray, found_so_far: Sequence[Candidate], key: str | None = None) -> _ScreenIcons:
        proposals = icon_proposals(image, found_so_far, key)
        boxes, proposed = list(proposals.boxes), list(proposals.proposed)
        buttons = boxes[:proposals.buttons]
        if not boxes:
            return _ScreenIcons()
        # Known buttons are seen twice: inside their frame (how they are named) and with it
        # (the model learned framed glyphs too; for the phrase, the better view wins).
        views = list(boxes) + list(boxes[:len(buttons)])
        inset = [i >= len(boxes) for i in range(len(views))]
        emb, valid = self._model.embed(icon_crops(image, views, inset))
        if not valid.any():
            return _ScreenIcons()
        rows = np.nonzero(valid)[0]
        beliefs = self._model.beliefs(emb[rows])
        # Named: known buttons from inside their frame, every other proposal as it is.
        named_view = [bool(i >= len(boxes) or i >= len(buttons)) for i in rows]
        named = []
        for row, guess in zip(rows[named_view], self._model.name(_subset(beliefs, named_view))):
            if guess.names and guess.icon_probability >= MIN_ICON_PROBABILITY and guess.score >= MIN_SCORE:
                named.append(Candidate(box=views[row], text=guess.names[0], role="icon", source=self.name,
                                       score=round(guess.score, 4), description=" ".join(guess.names)))
        # The model cannot tell a window's close "×" from an entry's clear "×"; their row can.
        fields = [c.box for c in found_so_far if c.role == "field"]
        named = as_clear_buttons(image, named, fields)
        window = find_window_controls(image, proposed)
        named.extend(window_control_candidates(image, proposed, self.name, window))
        logger.debug("icons: %d proposals, %d named", len(boxes), len(named))
        kept = tuple(views[i] for i in rows)
        return _ScreenIcons(tuple(named), kept, beliefs, tuple(known_controls(image, kept, window, fields)))

    def phrase_mass(self, icons: _ScreenIcons, phrase: str) -> np.ndarray | None:
        """Each crop's share of belief on ``phrase`` (aligned with ``icons.boxes``); None without MiniLM."""
        masses = self._phrase_masses(icons, phrase)
        return None if masses is None else masses[0]

    def _phrase_masses(self, icons: _ScreenIcons, phrase: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Mass on the phrase (its best way of saying, "bin" or "trash") and on its opposite's names."""
        if icons.beliefs is None:
            return None
        # Of the other ways of saying it, only the one most icons are named by: asking
        # every one ("trash" as "wastebasket", "rubbish bin"...) gave a wrong crop more chances.
        others = equivalents(phrase)
        usual = self._model.commonest((normalize(phrase), *others)) if others else None
        best: tuple[np.ndarray, np.ndarray] | None = None
        for variant in (phrase, *([usual] if usual in others else [])):
            vector = self._phrase_vector(variant)
            if vector is None:
                return None
            mass, opposite = self._model.phrase_mass(icons.beliefs, vector, SYNONYM_COSINE,
                                                     excluded=partial(opposed, variant),
                                                     also=self._also(variant))
            best = (mass, opposite) if best is None else (np.maximum(best[0], mass), np.maximum(best[1], opposite))
        return best

    def _phrase_candidates(self, icons: _ScreenIcons, phrase: str) -> list[Candidate]:
        masses = self._phrase_masses(icons, phrase)
        if masses is None:
            return []
        mass, opposite = masses
        mass = self._placed(icons, phrase, mass)
        total = float(mass.sum())
        order = np.argsort(-mass)[:MAX_PER_PHRASE]
        # The score's screen share makes the only zoom icon on a screen a sure "zoom out"
        # even when the model reads it as "zoom in" five times over: a crop that holds more
        # belief on the close names of the opposite control ("zoom in") than on the phrase
        # is scaled by twice its share of the two. Close names only: the whole opposite
        # phrase's neighbourhood ("previous" gathers "back", "prev", "go back") outweighed
        # "forward" on right-pointing triangles and moved 3 of the benchmark's 20 icon cases.
        lean = np.minimum(1.0, 2.0 * mass / np.maximum(mass + opposite, 1e-12))
        return [Candidate(box=icons.boxes[i], text=phrase, role="icon", source=self.name, conditioned=True,
                          score=round(lean[i] * mass_to_score(float(mass[i]), float(mass[i]) / total,
                                                              self._model.phrase_score), 4))
                for i in order if mass[i] >= MIN_MASS]

    def _also(self, phrase: str) -> list[int]:
        """Vocabulary rows that count as ``phrase`` though MiniLM puts them apart: arrows, "document new"."""
        if self._acting is None:
            self._acting = action_index(self._model.words)
        return [*self._arrows(phrase), *action_rows(self._acting, phrase)]

    def _arrows(self, phrase: str) -> list[int]:
        """Vocabulary rows of arrows pointing the way ``phrase`` says ("caret right" for "forward"), if it says one."""
        way = direction_of(phrase)
        if way is None:
            return []
        if way not in self._pointing:
            self._pointing[way] = pointing_names(self._model.words, way)
        return self._pointing[way]

    def _placed(self, icons: _ScreenIcons, phrase: str, mass: np.ndarray) -> np.ndarray:
        """``mass`` with what the crops' places say: a window's "×" is its close button, whatever it looks like.

        A crop known by its place (``_ScreenIcons.known``) that the phrase
        names ("close" for a window's "×", "clear" for a field's) holds at
        least :data:`KNOWN_MASS`; one the phrase neither names nor describes
        ("reload" for a window's maximize square, "close" for a field's
        "×") keeps only :data:`UNKNOWN_SCALE` of its mass. The model gives a
        calculator's "×" key as much "close" as a window's close button.
        """
        kinds = {k for k in icons.known if k is not None}
        if not kinds:
            return mass
        fits = {kind: self._names_control(phrase, kind) for kind in kinds}
        if any(fit is None for fit in fits.values()):
            return mass   # no MiniLM: nothing to compare the phrase with
        out = mass.copy()
        for i, kind in enumerate(icons.known):
            if kind is None:
                continue
            if fits[kind] == "name":
                out[i] = max(float(out[i]), KNOWN_MASS)
            elif fits[kind] == "other":
                out[i] *= UNKNOWN_SCALE
        return out

    def _names_control(self, phrase: str, kind: str) -> str | None:
        """Whether ``phrase`` says the control's ``name``, describes its ``look``, or means an ``other`` thing.

        None when MiniLM is not available.
        """
        said = self._phrase_vector(phrase)
        if said is None:
            return None
        for fit, words in (("name", CONTROL_NAMES[kind]), ("look", CONTROL_LOOKS[kind])):
            vectors = [self._phrase_vector(w) for w in words]
            if any(v is not None and float(said @ v) >= CONTROL_COSINE for v in vectors):
                return fit
        return "other"

    def _phrase_vector(self, phrase: str) -> np.ndarray | None:
        from desktop.grounding.semantic import minilm_available, shared_similarity

        if self._text is None:
            if not minilm_available():
                return None
            self._text = shared_similarity()
        vector = self._text.embed([phrase])[0].astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else None
