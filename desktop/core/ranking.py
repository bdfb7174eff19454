"""Score candidates against one instruction step.

A candidate's raw score combines how well its text matches the phrase
(lexically, or by meaning when nothing matches lexically), whether its role
agrees with the role words, and the source's own confidence. Relations and
ordinals are applied afterwards in :mod:`desktop.core.resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from desktop.core.geometry import Box
from desktop.core.intent import Step
from desktop.core.opposites import opposed
from desktop.core.results import Candidate
from desktop.core.textmatch import match_text, symbol_variants, tokenize

__all__ = ["TextSimilarity", "Scored", "score_candidates", "dedupe", "MIN_SCORE"]

#: Below this a candidate is not offered at all.
MIN_SCORE = 0.45
#: Roles whose indicator, not their label, is what a click must hit.
_INDICATOR_ROLES = frozenset({"checkbox", "radio", "switch"})
#: Roles a person reaches by clicking the text itself when no frame was detected.
_TEXTUAL_ROLES = frozenset({"button", "tab", "menu", "menuitem", "link", "listitem", "icon", "image"})
#: Semantic similarity is tried only when the best lexical match is weaker than this.
_SEMANTIC_BELOW = 0.8
_SEMANTIC_MAX_WORDS = 6


class TextSimilarity(Protocol):
    """Meaning-level similarity of a phrase to several short texts, each in [-1, 1]."""

    def similarities(self, phrase: str, texts: Sequence[str]) -> list[float]:
        ...


#: A phrase quoted in a sentence (a hint or status message) is less likely the control itself.
_MENTION = 0.75
#: One word from inside a long label ("Open" in "Always open in separate windows") is a weak reading:
#: the control named just that is often an icon button the icon model must be asked about.
_BURIED = 0.7
_BURIED_MIN_WORDS = 4
#: Per place down a named role's family when no words are given ("click the switch"): the role
#: is then all the evidence, so a switch found less surely than the check boxes beside it
#: must still come before them. A hint's roles ("the second option") stay alike.
_UNNAMED_ROLE_STEP = 0.4


@dataclass(frozen=True)
class Scored:
    """A candidate with its score for one step, and where to click it."""

    candidate: Candidate
    score: float
    point: tuple[float, float]
    box: Box
    label: str
    text_score: float
    semantic: bool = False

    def rescored(self, score: float) -> "Scored":
        return Scored(self.candidate, score, self.point, self.box, self.label, self.text_score, self.semantic)


def score_candidates(step: Step, candidates: Sequence[Candidate],
                     similarity: TextSimilarity | None = None) -> list[Scored]:
    """Every candidate that could be the step's target, best first (raw scores, not confidences)."""
    scored = []
    for cand in candidates:
        item = _score_one(step, cand)
        if item is not None:
            scored.append(item)
    # A lexical match too weak to offer (the icon model's "zoom out" on a zoom-in icon)
    # must not stop the search by meaning.
    best_text = max((s.text_score for s in scored if s.score >= MIN_SCORE), default=0.0)
    if similarity is not None and _wordy(step.target) and not step.quoted and best_text < _SEMANTIC_BELOW:
        scored = _add_semantic(step, candidates, scored, similarity)
    scored = [s for s in scored if s.score >= MIN_SCORE]
    scored.sort(key=lambda s: -s.score)
    return scored


def _wordy(text: str) -> bool:
    """Meaning-level matching is for words; digits and symbols match exactly or not at all."""
    return sum(ch.isalpha() for ch in text) >= 3 or any("\u3400" <= ch <= "\u9fff" for ch in text)


def _score_one(step: Step, cand: Candidate) -> Scored | None:
    role_factor = _role_factor(step, cand.role)
    if role_factor <= 0:
        return None
    if not step.target:
        text_score, span, exact = 1.0, cand.box, True
    else:
        found = _best_text_match(step, cand)
        if found is None:
            return None
        text_score, span, exact = found
    point, box = _click_target(cand, span)
    confidence = min(max(cand.score, 0.0), 1.0)
    # With no words to match ("click all checkboxes") the source's own confidence is the
    # only evidence, so a shape with no label must not rank beside a labelled control.
    source = confidence if not step.target or cand.conditioned else 0.85 + 0.15 * confidence
    label = cand.text or cand.description or cand.role
    return Scored(cand, text_score * role_factor * source, point, box, label, text_score)


def _best_text_match(step: Step, cand: Candidate) -> tuple[float, Box, bool] | None:
    variants = (step.target,) if step.quoted else (step.target, *symbol_variants(step.target))
    label_box = cand.label_box or cand.box
    best: tuple[float, Box, bool] | None = None
    for variant in variants:
        # A description is a list of names (an icon's), not one label read on screen.
        for text, box, parts, weight, read in ((cand.text, label_box, cand.parts, 1.0, True),
                                               (cand.description, cand.box, (), 0.92, False)):
            if not text:
                continue
            match = match_text(variant, text, box, parts)
            if match is None:
                continue
            score = match.score * weight
            if variant is not step.target:
                score *= 0.93  # "close" written as × is a reading; the word itself on screen wins
            if step.quoted and not match.exact:
                score *= 0.85
            if not match.whole:
                # Either sign alone says "a mention, maybe not the control"; together they say no more.
                score *= min(_MENTION if _mentioned(variant, text) else 1.0,
                             _BURIED if read and _buried(variant, text) else 1.0)
            if best is None or score > best[0]:
                best = (score, match.box, match.exact)
    return best


def _mentioned(target: str, text: str) -> bool:
    """Whether ``text`` quotes the phrase inside a longer sentence: 'Select "New" to create an archive'.

    A hint that names a control is not that control; the control (an icon
    button, often) is what the person means, so a quoting sentence must not
    answer so surely that the icon model is never asked.
    """
    words = r"\W+".join(re.escape(w) for w in tokenize(target))
    return bool(words) and re.search(rf"[\"“”'‘’«»]\s*{words}\s*[\"“”'‘’«»]", text, re.IGNORECASE) is not None


def _buried(target: str, text: str) -> bool:
    """Whether the phrase is one word from inside a long label, not its first.

    "click Open" read in "Always open in separate windows" is rarely that
    check box (a person says a label's first words, or most of it); a short
    label containing the word ("Remember" in "Remember me") stays a good reading.
    """
    said, label = tokenize(target), tokenize(text)
    # Several said words ("the he provides binaries link") pick a phrase out of a sentence on purpose.
    return len(said) == 1 and len(label) >= _BURIED_MIN_WORDS and label[0] != said[0]


def _click_target(cand: Candidate, span: Box) -> tuple[tuple[float, float], Box]:
    """Where to click: the indicator of a checkable, the frame of a control, else the matched words."""
    if cand.point is not None:
        return cand.point, cand.box
    if cand.role == "text":
        return span.center, span
    return cand.box.center, cand.box


def _role_factor(step: Step, role: str) -> float:
    if not step.roles:
        if role == "text":
            # A control whose label matches beats the bare label: clicking a label does
            # nothing in many apps and web pages, clicking the control always works.
            return 0.95
        return 0.92 if role == "field" else 1.0
    if role in step.roles:
        rank = step.roles.index(role)
        if not step.target and step.names_kind:
            return max(0.2, 1.0 - _UNNAMED_ROLE_STEP * rank)
        return 1.0 - 0.04 * rank
    if not step.role_explicit:
        # A hint ("tick", "the Email box"), not a demand: the field that "Email:" labels,
        # though detected less surely than the label is read, beats the label itself.
        return 0.88
    primary = step.roles[0]
    if role == "text":
        if not step.target:
            return 0.5  # "click all checkboxes" never means every word on screen
        return 0.9 if primary in _TEXTUAL_ROLES else 0.6
    return 0.45


def _add_semantic(step: Step, candidates: Sequence[Candidate], scored: list[Scored],
                  similarity: TextSimilarity) -> list[Scored]:
    """Add meaning-level matches ("trash" → Delete) for short labels nothing matched lexically."""
    texts = sorted({c.text for c in candidates if c.text and len(tokenize(c.text)) <= _SEMANTIC_MAX_WORDS})
    if not texts:
        return scored
    sims = dict(zip(texts, similarity.similarities(step.target, texts)))
    by_id = {id(s.candidate): s for s in scored}
    # Where a source was asked for the phrase itself (the icon model's phrase search), its
    # answer for that box stands: its own guess at a name is not matched by meaning again.
    answered = {c.box for c in candidates if c.conditioned}
    out = list(scored)
    for cand in candidates:
        sim = sims.get(cand.text)
        if sim is None or opposed(step.target, cand.text) or (cand.box in answered and not cand.conditioned):
            continue
        sem_text = 0.85 * min(max((sim - 0.3) / 0.4, 0.0), 1.0)
        current = by_id.get(id(cand))
        if sem_text <= (current.text_score if current else 0.0) or sem_text <= 0:
            continue
        role_factor = _role_factor(step, cand.role)
        point, box = _click_target(cand, cand.label_box or cand.box if cand.role == "text" else cand.box)
        source = 0.85 + 0.15 * min(max(cand.score, 0.0), 1.0)
        item = Scored(cand, sem_text * role_factor * source, point, box, cand.text, sem_text, semantic=True)
        if current is not None:
            out.remove(current)
        out.append(item)
    return out


def dedupe(scored: Sequence[Scored]) -> list[Scored]:
    """Drop lower-scored duplicates: the same control seen by two sources, or a label of a control."""
    kept: list[Scored] = []
    for item in sorted(scored, key=lambda s: -s.score):
        extent = item.candidate.extent
        duplicate = False
        for other in kept:
            other_extent = other.candidate.extent
            if (extent.overlap_of_smaller(other_extent) > 0.6 and _compatible(item, other)) \
                    or item.box.iou(other.box) > 0.5 or other.box.contains(*item.point) \
                    and item.box.overlap_of_smaller(other.box) > 0.6:
                duplicate = True
                break
        if not duplicate:
            kept.append(item)
    return kept


def _compatible(a: Scored, b: Scored) -> bool:
    """Two candidates are one thing when their extents overlap and one is plain text or both agree."""
    ra, rb = a.candidate.role, b.candidate.role
    if ra == "text" or rb == "text" or ra == rb:
        return a.box.overlap_of_smaller(b.box) > 0.3 or ra == "text" or rb == "text"
    return False
