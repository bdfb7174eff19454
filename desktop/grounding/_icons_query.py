"""Icons found by what the person said, not by the name the model would give them.

Naming each icon and then matching names against the phrase loses whenever
the right name is not among the model's first few guesses. Asking instead
"how much of this crop's belief falls on the phrase's meaning" uses the
whole distribution: on held-out icon sets it finds the right icon among a
screen's proposals far more often (see ``models/icons/MODEL_CARD.md``).
"""

from __future__ import annotations

import math
import re

from desktop.core.intent import Intent, Step

__all__ = ["SYNONYM_COSINE", "MAX_PER_PHRASE", "MIN_MASS", "DEFAULT_PHRASE_SCORE", "icon_phrases",
           "mass_to_score"]

#: Vocabulary names at least this close (MiniLM cosine) to the phrase count as the phrase.
SYNONYM_COSINE = 0.7
#: Enough crops per phrase for "all the trash icons" on a long list; weaker ones score too low to count.
MAX_PER_PHRASE = 24
MIN_MASS = 1e-6

#: P(the crop is what was asked for) = σ(bias + per_decade·log10(mass) + per_share·share).
#: Each model's own fit is in its manifest (``training/icons/fit_phrase_score.py``); these
#: are the first model's, used when a manifest has none.
DEFAULT_PHRASE_SCORE = (1.392, 1.545, 2.682)
_EVEN_ODDS_SCORE, _SCORE_PER_LOGIT = 0.62, 0.086
_ALPHA = re.compile(r"[A-Za-z]")
#: Role words that say only "some control": no icon draws them.
_GENERIC_ROLE_WORDS = frozenset({"button", "icon", "image", "picture", "control", "widget", "item"})


def icon_phrases(intent: Intent) -> list[str]:
    """Every phrase of ``intent`` an icon could answer: targets, their parts, relation anchors.

    A step whose whole target was read as a role word ("click Menu": any
    menu) also asks that word: a hamburger button named "Menu" draws no
    text, and the resolver's literal reading can only pick it if the icon
    source offers it. Words that name no drawn thing ("button") are not asked.
    Digits and symbols are left to OCR; the model's text space is English words.
    """
    found: list[str] = []
    for step in intent.steps:
        found.extend((step.target, *step.conjuncts))
        if _lone_role_word(step):
            found.append(step.literal)
        if step.relation is not None:
            found.append(step.relation.anchor)
    return [p for p in dict.fromkeys(p.strip() for p in found) if len(_ALPHA.findall(p)) >= 2]


def _lone_role_word(step: Step) -> bool:
    """Whether the step names nothing but one role word that an icon could draw ("Menu", not "button")."""
    words = step.literal.split()
    return (not step.target and len(words) == 1 and not step.select_all and step.ordinal is None
            and words[0].lower() not in _GENERIC_ROLE_WORDS)


def mass_to_score(mass: float, share: float,
                  weights: tuple[float, float, float] = DEFAULT_PHRASE_SCORE) -> float:
    """A ranking score for a crop from its belief ``mass`` and its ``share`` of the screen's mass.

    ``share`` is the crop's mass over the sum on the whole screen: a crop
    that holds nearly all of a small mass still stands out. The fitted
    probability is put on the scale of text-match scores (even odds at
    0.62, as the engine's calibration reads them), so an icon and a label
    that are equally likely right rank alike.
    """
    if mass <= 0.0:
        return 0.0
    bias, per_decade, per_share = weights
    z = bias + per_decade * math.log10(mass) + per_share * min(max(share, 0.0), 1.0)
    return min(max(_EVEN_ODDS_SCORE + _SCORE_PER_LOGIT * z, 0.0), 1.0)
