"""Reference-image matching: "click what looks like this".

The person supplies a small picture of the thing (an icon, a button cut from
an earlier screenshot); :class:`TemplateSource` finds every place it appears
on the screen, at any display scale from 0.5x to 2x.

How it stays fast (well under 100 ms for a 1080p screen and a 24-64 px
reference): a coarse pass correlates a grey reference at each of 13 scales
with a half-octave screen pyramid level chosen so the scaled reference keeps
about 8 pixels a side there; local maxima of those maps become peaks; the most
salient peaks are refined in a small window, climbing in scale on images
shrunk for the scale error left (thin outlines and text match only near the
exact scale), last at full resolution, and scored in colour, at the
reference's resolution where it is the smaller. Transparent parts of a reference (alpha below
128) are masked out at every step. Scores are normalised cross-correlation (``TM_CCOEFF_NORMED``)
measured at full resolution whatever scale the match was found at, so they
compare across scales: an exact copy scores about 1.0.
"""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from desktop.core.errors import (
    BackendFailed,
    ClickAssistError,
    ReferenceUnusable,
)
from desktop.core.images import load_image, load_reference
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._template_coarse import MIN_REFERENCE_SIDE
from desktop.grounding._template_match import INVERTED_PENALTY, Reference, TemplateMatch, find_matches

__all__ = [
    "TemplateSource", "TemplateMatch", "Reference", "prepare_reference", "match_reference", "INVERTED_PENALTY",
]

log = logging.getLogger(__name__)

#: A reference whose grey levels vary less than this (standard deviation,
#: 0-255) is one flat colour: correlation is undefined for it.
MIN_REFERENCE_CONTRAST = 2.0
#: Fewer opaque pixels than this leave nothing to match.
MIN_OPAQUE_PIXELS = 16
#: A reference whose brightness changes (almost) only across, or only down,
#: is a straight edge or line. Icons score 0.9-1.0 here, cuts of text 0.5-0.9.
MIN_TWO_DIMENSIONALITY = 0.05


class TemplateSource:
    """Candidates where the request's reference image appears on the screen.

    Parameters
    ----------
    min_score
        Matches scoring below this are dropped. Unrelated screen content
        scores up to about 0.5; exact copies about 1.0.
    min_scale, max_scale
        Range of display scales tried (the reference may have been captured
        on a screen with another scale factor).
    max_matches
        At most this many candidates, best first.
    match_inverted
        Also find the reference with inverted brightness (a light-theme icon
        on a dark-theme screen), scored at :data:`INVERTED_PENALTY` times
        its correlation.
    """

    name = "template"

    def __init__(
        self,
        min_score: float = 0.7,
        min_scale: float = 0.5,
        max_scale: float = 2.0,
        max_matches: int = 50,
        match_inverted: bool = True,
    ) -> None:
        if not 0 < min_scale <= 1 <= max_scale:
            raise ValueError("need 0 < min_scale <= 1 <= max_scale")
        self.min_score = min_score
        self.min_scale = min_scale
        self.max_scale = max_scale
        self.max_matches = max_matches
        self.match_inverted = match_inverted

    def available(self) -> bool:
        """Whether OpenCV, which does the matching, can be imported."""
        try:
            import cv2  # noqa: F401
        except ImportError:
            return False
        return True

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        """Every place ``request.reference`` appears on ``screen``, best first.

        Returns ``[]`` when the request carries no reference.

        Raises
        ------
        ReferenceUnreadable
            The reference is not an image array.
        ReferenceUnusable
            The reference is a flat colour, or smaller than 4x4 pixels.
        ReferenceTooLarge
            The reference is larger than the screen at every scale tried.
        BackendFailed
            OpenCV failed.
        """
        if request.reference is None:
            return []
        matches = match_reference(
            screen.image, request.reference, min_score=self.min_score,
            min_scale=self.min_scale, max_scale=self.max_scale,
            max_matches=self.max_matches, match_inverted=self.match_inverted,
        )
        return [_to_candidate(m) for m in matches]


def match_reference(
    screen: np.ndarray,
    reference: np.ndarray,
    *,
    min_score: float = 0.7,
    min_scale: float = 0.5,
    max_scale: float = 2.0,
    max_matches: int = 50,
    match_inverted: bool = True,
) -> list[TemplateMatch]:
    """Find ``reference`` in an RGB ``screen`` array; see :class:`TemplateSource`.

    Parameters
    ----------
    screen
        RGB ``uint8`` array ``(H, W, 3)``.
    reference
        The reference as :func:`desktop.core.images.load_reference` returns
        it (RGB, or RGBA whose transparent pixels are ignored); other arrays
        are converted as that function converts them.

    Returns
    -------
    list of TemplateMatch
        Sorted by score, highest first, overlapping matches suppressed.
    """
    if screen.ndim != 3 or screen.shape[2] != 3 or screen.dtype != np.uint8:
        screen = load_image(screen)
    ref = prepare_reference(reference)
    try:
        return find_matches(
            screen, ref, min_score=min_score, min_scale=min_scale, max_scale=max_scale,
            max_matches=max_matches, match_inverted=match_inverted,
        )
    except ClickAssistError:
        raise
    except Exception as exc:  # noqa: BLE001 - cv2.error and friends: the protocol allows only BackendFailed
        log.debug("template matching failed", exc_info=True)
        raise BackendFailed(f"reference-image matching failed: {exc}") from exc


def prepare_reference(reference: np.ndarray) -> Reference:
    """Check a reference image and cut it to its opaque part.

    Raises
    ------
    ReferenceUnreadable, ReferenceUnusable
        See :meth:`TemplateSource.candidates`.
    """
    pixels = load_reference(reference)
    mask = None
    if pixels.shape[2] == 4:
        opaque = pixels[:, :, 3] >= 128
        if int(opaque.sum()) < MIN_OPAQUE_PIXELS:
            raise ReferenceUnusable(
                "the reference image is almost entirely transparent",
                "Cut the reference from a screenshot instead.",
            )
        # Padding that is transparent all round only slows matching and
        # blurs the box; keep the opaque part.
        rows, cols = np.flatnonzero(opaque.any(axis=1)), np.flatnonzero(opaque.any(axis=0))
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        pixels, opaque = pixels[top:bottom, left:right], opaque[top:bottom, left:right]
        mask = None if bool(opaque.all()) else opaque.astype(np.uint8) * 255
    rgb = np.ascontiguousarray(pixels[:, :, :3])
    height, width = rgb.shape[:2]
    if min(height, width) < MIN_REFERENCE_SIDE:
        raise ReferenceUnusable(
            f"the reference image is too small to match: {width}\u00d7{height} pixels",
            f"Use a reference at least {MIN_REFERENCE_SIDE}\u00d7{MIN_REFERENCE_SIDE} pixels.",
        )
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    contrast = float(grey[mask > 0].std() if mask is not None else grey.std())
    if contrast < MIN_REFERENCE_CONTRAST:
        raise ReferenceUnusable(
            "the reference image is a single flat colour, so it could match anywhere",
            "Include the icon or text of the thing, not only its background.",
        )
    if _straightness(grey) < MIN_TWO_DIMENSIONALITY:
        raise ReferenceUnusable(
            "the reference image is only a straight edge or line, so it matches along every edge",
            "Include a corner, an icon or some text of the thing to click.",
        )
    return Reference(rgb=rgb, mask=mask)


def _straightness(grey: np.ndarray) -> float:
    """How two-dimensional the structure is: the weaker direction's gradient over the stronger's."""
    across = float(np.abs(np.diff(grey, axis=1)).sum())
    down = float(np.abs(np.diff(grey, axis=0)).sum())
    return min(across, down) / max(across, down, 1e-9)


def _to_candidate(match: TemplateMatch) -> Candidate:
    polarity = ", inverted brightness" if match.inverted else ""
    return Candidate(
        box=match.box,
        role="image",
        source="template",
        score=match.score,
        description=f"matches the reference image at {match.scale:.2f}x{polarity}",
    )
