"""From an intent and the candidates on screen to ordered, calibrated predictions.

Per step: score candidates, prefer a whole on-screen label over the parsed
reading (``Step.literal``), split conjunctions when no single label holds
them, apply the spatial relation, pick by ordinal or quantity, then
calibrate. Single steps also return a few alternatives so a person can pick
"2" when the best guess is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from desktop.core.calibration import Calibrator, Features
from desktop.core.checkstate import already_message, current_state, keep_in_state, none_in_state_message
from desktop.core.geometry import Box
from desktop.core.intent import Intent, Step
from desktop.core.parser import split_role
from desktop.core.ranking import Scored, TextSimilarity, dedupe, score_candidates
from desktop.core.relations import reading_order, relation_factor
from desktop.core.results import Candidate, Prediction
from desktop.core.vocabulary import ZH_UI_WORDS

__all__ = ["resolve", "Resolution"]

_LITERAL_WINS = 0.93
_CHECKABLE = frozenset({"checkbox", "radio", "switch"})
_MAX_ALTERNATIVES = 4
#: Score difference at which a runner-up elsewhere counts e times less (see _tie_shares).
_TIE_WIDTH = 0.03
_ANCHOR_MIN = 0.6


@dataclass(frozen=True)
class Resolution:
    predictions: tuple[Prediction, ...]
    message: str = ""


@dataclass(frozen=True)
class _Picked:
    targets: list[Scored]
    alternatives: list[Scored]
    margin: float
    message: str = ""
    #: For one target picked by score: each point's share among near-equal matches elsewhere.
    shares: tuple[float, ...] = ()


def resolve(intent: Intent, candidates: Sequence[Candidate], calibrator: Calibrator,
            similarity: TextSimilarity | None = None) -> Resolution:
    """Predictions for every step of ``intent``, in click order for sequences."""
    steps = _expand_conjunctions(intent.steps, candidates)
    many_steps = len(steps) > 1
    predictions: list[Prediction] = []
    messages: list[str] = []
    for index, step in enumerate(steps):
        picked = _pick(step, candidates, similarity)
        if picked.message:
            messages.append(picked.message)
        chosen = picked.targets + ([] if many_steps or step.wants_many else picked.alternatives)
        features = [Features(score=item.score, margin=picked.margin if rank < len(picked.targets)
                             else -0.2 - 0.1 * rank, semantic=item.semantic,
                             relation=step.relation is not None, many=step.wants_many,
                             rank=0 if rank < len(picked.targets) else rank)
                    for rank, item in enumerate(chosen)]
        confidences = [calibrator(f) for f in features]
        if picked.shares and confidences:
            # Equally good matches in different places: the person means one of them.
            top = confidences[0]
            confidences = [max(c, top * share) if rank else top * share
                           for rank, (c, share) in enumerate(zip(confidences, picked.shares))]
        for item, feature, confidence in zip(chosen, features, confidences):
            predictions.append(_prediction(item, step, index, confidence, feature))
    predictions = _order(predictions, many_steps)
    predictions = _apply_click_bounds(intent, predictions, steps, candidates, similarity, calibrator)
    if intent.min_clicks is not None and len(predictions) < intent.min_clicks:
        messages.append(f"Found {len(predictions)} of the at least {intent.min_clicks} asked for.")
    message = " ".join(messages)
    return Resolution(tuple(predictions), message)


def _prediction(item: Scored, step: Step, index: int, confidence: float, features: Features) -> Prediction:
    x, y = item.point
    return Prediction(x=int(x), y=int(y), confidence=confidence, label=item.label, box=item.box,
                      source=item.candidate.source, action=step.action, role=item.candidate.role,
                      step=index, evidence=features)


def _order(predictions: list[Prediction], many_steps: bool) -> list[Prediction]:
    if many_steps:
        return sorted(predictions, key=lambda p: (p.step, -p.confidence))
    return sorted(predictions, key=lambda p: -p.confidence)


def _expand_conjunctions(steps: Sequence[Step], candidates: Sequence[Candidate]) -> list[Step]:
    """ "vim and git" becomes two steps unless one label on screen reads "vim and git"."""
    out: list[Step] = []
    for step in steps:
        if step.conjuncts:
            whole = score_candidates(replace(step, conjuncts=()), candidates)
            if not whole or whole[0].text_score < _LITERAL_WINS:
                out.extend(replace(step, target=part, conjuncts=(), literal="") for part in step.conjuncts)
                continue
        out.append(step)
    return out


def _pick(step: Step, candidates: Sequence[Candidate], similarity: TextSimilarity | None) -> _Picked:
    scored = score_candidates(step, candidates, similarity)
    step, scored = _in_english(step, scored, candidates, similarity)
    if step.literal:
        readings = [Step(action=step.action, target=step.literal, raw=step.raw, roles=step.verb_roles,
                         verb_roles=step.verb_roles)]
        phrase, roles = split_role(step.literal) if step.relation is not None else (step.literal, ())
        if roles:
            # "the Text below icons dropdown": the relation took the role word; read whole,
            # the label is the words before it, on a control of that kind.
            readings.append(Step(action=step.action, target=phrase, raw=step.raw, roles=roles,
                                 role_explicit=True, verb_roles=step.verb_roles))
        for literal_step in readings:
            literal = score_candidates(literal_step, candidates)
            # The literal reading holds when some label reads it whole, even if a match by
            # description outranks that label ("Menu": the icon named "list, menu" tops the
            # icon source's own "Menu"); against a relation, a label that says the whole
            # phrase ("Text below icons") is the reading, however well its first word matched.
            if _reads_whole(literal) and (not scored or literal[0].score >= scored[0].score
                                          or step.ordinal is not None or step.relation is not None):
                step, scored = literal_step, literal
                break
    if step.relation is not None:
        scored, note = _apply_relation(step, scored, candidates, similarity)
        if note:
            return _Picked([], [], 0.0, note)
    scored = dedupe(scored)
    if not scored:
        return _Picked([], [], 0.0, _nothing_message(step))
    if step.state or (step.goal and step.select_all):
        # "every ticked box", "untick all": only the toggles in the state that asks for a click.
        kept = keep_in_state(step, scored)
        toggles = sum(current_state(s.candidate) is not None for s in scored)
        if not any(current_state(s.candidate) is not None for s in kept) and (toggles or not kept):
            # Labels of unknown state may be left, but every box they label is already as asked.
            return _Picked([], [], 0.0, none_in_state_message(step, toggles))
        scored = kept
    if step.wants_many or step.ordinal is not None:
        return _unless_already(step, _pick_positional(step, scored))
    if _CHECKABLE & set(step.roles + step.verb_roles) and scored[0].candidate.role == "text":
        scored[0] = _row_indicator(scored[0], candidates) or scored[0]
    best = scored[0]
    if step.goal and current_state(best.candidate) == step.goal:
        return _Picked([], [], 0.0, already_message(best, step.goal))
    margin = best.score - (scored[1].score if len(scored) > 1 else 0.0)
    alternatives = [s for s in scored[1:_MAX_ALTERNATIVES + 1] if s.score >= best.score * 0.55]
    return _Picked([best], alternatives, margin, shares=_tie_shares(best, alternatives))


def _unless_already(step: Step, picked: _Picked) -> _Picked:
    """ "tick the second checkbox": the one counted to is not clicked when already as asked."""
    if not step.goal or step.select_all:
        return picked
    kept = [t for t in picked.targets if current_state(t.candidate) != step.goal]
    if len(kept) == len(picked.targets):
        return picked
    if not kept:
        message = already_message(picked.targets[0], step.goal) if len(picked.targets) == 1 else \
            none_in_state_message(step, len(picked.targets))
        return _Picked([], [], 0.0, message)
    return replace(picked, targets=kept)


def _in_english(step: Step, scored: list[Scored], candidates: Sequence[Candidate],
                similarity: TextSimilarity | None) -> tuple[Step, list[Scored]]:
    """A Chinese name that no label reads, asked of an English interface ("点击保存" → Save)."""
    if step.target not in ZH_UI_WORDS or _reads_whole(scored):
        return step, scored
    for english in ZH_UI_WORDS[step.target]:
        reading = replace(step, target=english, literal="", conjuncts=())
        found = score_candidates(reading, candidates, similarity)
        if _reads_whole(found) and (not scored or found[0].score > scored[0].score):
            return reading, found
    return step, scored


def _reads_whole(scored: Sequence[Scored]) -> bool:
    """Whether some candidate's label says the phrase whole (not only near it or by meaning)."""
    return any(item.text_score >= _LITERAL_WINS for item in scored)


def _tie_shares(best: Scored, alternatives: Sequence[Scored]) -> tuple[float, ...]:
    """Each point's share of the belief when matches elsewhere score about as well as the best.

    The calibration learnt from screens where a near-tie is rare, and gives
    the best of two equal "×" buttons 0.95. With one target asked for, two
    equally good matches are a coin toss: weights fall by e for every
    :data:`_TIE_WIDTH` of score below the best, and each point gets its share.
    """
    weights = [1.0] + [math.exp(-(best.score - alt.score) / _TIE_WIDTH) for alt in alternatives]
    total = sum(weights)
    return tuple(w / total for w in weights)


def _pick_positional(step: Step, scored: list[Scored]) -> _Picked:
    pool = _same_kind_pool(step, scored)
    if not pool:
        return _Picked([], [], 0.0, f"No {step.roles[0]} found on screen.")
    ordered = reading_order(pool, lambda s: s.box)
    excluded = [s for s in scored if s not in pool]
    margin = pool[-1].score - (excluded[0].score if excluded else 0.0) if pool else 0.0
    if step.select_all:
        return _Picked(ordered, [], margin)
    n = max(step.count, 1)
    if step.ordinal is None:
        chosen = ordered[:n]
    elif step.ordinal > 0:
        chosen = ordered[step.ordinal - 1:step.ordinal - 1 + n]
    else:
        end = len(ordered) + step.ordinal + 1
        chosen = ordered[max(end - n, 0):end]
    if len(chosen) < n or not chosen:
        found = len(ordered)
        what = step.target or (step.roles[0] if step.roles else "match")
        return _Picked(chosen, [], margin, f"Only {found} {what} match{'es' if found != 1 else ''} found.")
    return _Picked(chosen, [], margin)


def _same_kind_pool(step: Step, scored: list[Scored]) -> list[Scored]:
    """The matches that are all 'the same kind of thing' for counting and "all"."""
    best = scored[0].score
    pool = [s for s in scored if s.score >= max(0.6, best * 0.85)]
    if not step.target and step.roles and step.role_explicit:
        # "every tab" must not fall back to buttons: counting needs the kind named. A hint
        # ("the second option") counts the first of its kinds that is on screen.
        kind = step.roles[0] if step.names_kind else next(
            (r for r in step.roles if any(s.candidate.role == r for s in scored)), step.roles[0])
        pool = [s for s in scored if s.candidate.role == kind]
        best = pool[0].score if pool else 0.0
        # Scores here are the detector's own, so only relative strength separates the controls
        # from look-alikes (an unlabelled square beside labelled checkboxes). A labelled one is a
        # control however surely its frame was seen (a dialog's Save, Cancel, Apply share theirs).
        pool = [s for s in pool if s.score >= max(0.4, best * 0.85) or (s.candidate.text and s.score >= 0.4)]
    return pool


def _apply_relation(step: Step, scored: list[Scored], candidates: Sequence[Candidate],
                    similarity: TextSimilarity | None) -> tuple[list[Scored], str]:
    relation = step.relation
    assert relation is not None
    anchor_step = Step(target=relation.anchor, roles=tuple(r for r in relation.anchor_roles
                                                          if r not in ("dialog", "window")),
                       role_explicit=False)
    anchor_step, found = _in_english(anchor_step, score_candidates(anchor_step, candidates, similarity),
                                     candidates, similarity)
    anchors = [a for a in found if a.score >= _ANCHOR_MIN]
    if not anchors:
        return [], f"Could not find {relation.anchor!r} to look {relation.kind.replace('_', ' ')}."
    top = anchors[0].score
    anchors = [a for a in anchors if a.score >= top - 0.05][:3]
    out: list[Scored] = []
    for item in scored:
        factor = max(relation_factor(relation.kind, item.box, _anchor_box(a)) for a in anchors)
        if factor > 0.05:
            out.append(item.rescored(item.score * (0.45 + 0.55 * factor)))
    out.sort(key=lambda s: -s.score)
    if not out:
        return [], f"Nothing matched {step.target or step.roles[0]!r} {relation.kind.replace('_', ' ')} {relation.anchor!r}."
    return out, ""


def _anchor_box(anchor: Scored) -> Box:
    """Where the thing named as an anchor is: its label when it has one ("left of Remember me")."""
    cand = anchor.candidate
    if cand.role == "text":
        return anchor.box
    return cand.label_box if cand.label_box is not None else cand.extent


def _row_indicator(label: Scored, candidates: Sequence[Candidate]) -> Scored | None:
    """The unlabelled checkbox or switch on the label's row, when nothing else stands between.

    Settings rows often put the box far right of its label, beyond the reach
    of a detector's label search; the person named the label and asked for a checkable.
    """
    lb = label.box
    row = [c for c in candidates if _same_row(c.box, lb)]
    best: tuple[float, Candidate] | None = None
    for cand in row:
        if cand.role not in _CHECKABLE or cand.text:
            continue
        gap = cand.box.x0 - lb.x1 if cand.box.x0 >= lb.x1 else lb.x0 - cand.box.x1
        if gap < 0 or gap > 40 * max(lb.height, 8.0):
            continue
        lo, hi = sorted((lb.center[0], cand.box.center[0]))
        if any(c.role == "text" and lo < c.box.center[0] < hi and c.box.overlap_of_smaller(lb) < 0.5
               for c in row):
            continue  # another label in between owns this box
        if best is None or gap < best[0]:
            best = (gap, cand)
    if best is None:
        return None
    box = best[1].box
    return Scored(best[1], label.score, box.center, box, label.label, label.text_score, label.semantic)


def _same_row(a: Box, b: Box) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= 0.5 * min(a.height, b.height)


def _nothing_message(step: Step) -> str:
    role = step.roles[0] if step.roles else ""
    what = step.target or (f"{'an' if role[:1] in 'aeiou' else 'a'} {role}" if role else "anything")
    return f"Nothing on screen matched {what!r}."


def _apply_click_bounds(intent: Intent, predictions: list[Prediction], steps: Sequence[Step],
                        candidates: Sequence[Candidate], similarity: TextSimilarity | None,
                        calibrator: Calibrator) -> list[Prediction]:
    if intent.max_clicks is not None:
        predictions = predictions[:intent.max_clicks]
    if intent.min_clicks is not None and len(predictions) < intent.min_clicks and steps:
        # Offer the next-best distinct matches, each with its own (lower) confidence.
        taken = {(p.x, p.y) for p in predictions}
        extra = dedupe(score_candidates(steps[-1], candidates, similarity))
        for rank, item in enumerate(extra):
            if len(predictions) >= intent.min_clicks:
                break
            point = (int(item.point[0]), int(item.point[1]))
            if point in taken or any(p.box is not None and p.box.contains(*item.point) for p in predictions):
                continue
            features = Features(score=item.score, margin=-0.3, semantic=item.semantic,
                                relation=False, many=True, rank=rank + 1)
            predictions.append(_prediction(item, steps[-1], len(steps) - 1, calibrator(features), features))
            taken.add(point)
    return predictions
