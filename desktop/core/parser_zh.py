"""Chinese instructions: 点击保存, 单击所有复选框, 双击报告.pdf图标, 点击记住我左边的复选框."""

from __future__ import annotations

import re

from desktop.core.intent import Relation, Step
from desktop.core.vocabulary import (
    ROLE_FAMILIES,
    ZH_ACTIONS,
    ZH_ALL,
    ZH_CHECK_VERBS,
    ZH_GOAL_VERBS,
    ZH_NUMERALS,
    ZH_RELATIONS,
    ZH_ROLES,
)

__all__ = ["parse_chinese_steps"]

_SEQUENCE_SPLIT = re.compile(r"\s*(?:[;；。]|[,，、]?\s*(?:然后|接着|之后|再|随后)|[,，])\s*")
_POLITE = re.compile(r"^(?:请你|请帮我|请|帮我|麻烦|我想|我要|给我)\s*")
_ACTION_ALT = "|".join(sorted((re.escape(v) for v in ZH_ACTIONS), key=len, reverse=True))
_LEADING_ACTION = re.compile(rf"^(?:{_ACTION_ALT})(?:一下)?\s*")
_ROLE_ALT = "|".join(sorted((re.escape(r) for r in ZH_ROLES), key=len, reverse=True))
_TRAILING_ROLE = re.compile(rf"(?P<role>{_ROLE_ALT})$")
_NUM_ALT = "|".join(sorted((re.escape(n) for n in ZH_NUMERALS), key=len, reverse=True))
_ORDINAL = re.compile(rf"^第(?P<n>{_NUM_ALT})(?:个|项|条|只)?")
_LAST = re.compile(rf"^(?:最后|倒数第(?P<n>{_NUM_ALT}))(?:一)?(?:个|项|条)?")
_FIRST_N = re.compile(rf"^(?P<side>前|后)(?P<n>{_NUM_ALT})(?:个|项|条)")
_ALL = re.compile("^(?:" + "|".join(re.escape(a) for a in ZH_ALL) + ")")
_RELATION_ALT = "|".join(sorted((re.escape(r) for r in ZH_RELATIONS), key=len, reverse=True))
_RELATION = re.compile(rf"^(?P<anchor>.+?)(?P<rel>{_RELATION_ALT})(?P<rest>.*)$")
_CONTAINER = re.compile(r"^(?:在)?(?P<anchor>.+?)(?:对话框|窗口|面板|区域|工具栏)(?:里|中|内|里面)?的?(?P<rest>.+)$")
_PARTICLES = re.compile(r"^(?:这个|那个|一个|该)|(?:的)$")


def parse_chinese_steps(text: str) -> list[Step]:
    """Parse a Chinese instruction into steps (one per 然后/，-separated part)."""
    steps: list[Step] = []
    action = "click"
    for chunk in _SEQUENCE_SPLIT.split(text):
        step = _parse_step(chunk.strip(), action)
        if step is not None:
            steps.append(step)
            action = step.action
    return steps


def _parse_step(chunk: str, action: str) -> Step | None:
    chunk = _POLITE.sub("", chunk).strip()
    verb = ""
    match = _LEADING_ACTION.match(chunk)
    if match:
        verb = match.group(0).strip().removesuffix("一下")
        action = ZH_ACTIONS.get(verb, action)
        chunk = chunk[match.end():]
    chunk = chunk.strip(" 。！？!?")
    if not chunk:
        return None
    literal = chunk
    select_all, count, ordinal = False, 1, None
    if _ALL.match(chunk):
        select_all, chunk = True, _ALL.sub("", chunk)
    chunk, count, ordinal = _take_position(chunk, count, ordinal)
    relation = None
    container = _CONTAINER.match(chunk)
    if container:
        relation = Relation("inside", container.group("anchor"), ("dialog",))
        chunk = container.group("rest")
    else:
        rel = _RELATION.match(chunk)
        if rel and rel.group("rest"):
            relation = Relation(ZH_RELATIONS[rel.group("rel")], _strip_particles(rel.group("anchor")))
            chunk = rel.group("rest")
    chunk, count, ordinal = _take_position(_strip_particles(chunk), count, ordinal)
    roles: tuple[str, ...] = ()
    role = _TRAILING_ROLE.search(chunk)
    if role:
        base = ZH_ROLES[role.group("role")]
        roles = ROLE_FAMILIES.get(base, (base,))
        chunk = chunk[:role.start()]
    explicit = bool(roles)
    if not roles and verb in ZH_CHECK_VERBS:
        roles = ("checkbox", "switch", "radio")
    target = _strip_particles(chunk)
    if not target and not roles and relation is None:
        return None
    return Step(action=action, target=target, roles=roles, select_all=select_all, count=count,
                ordinal=ordinal, relation=relation, raw=literal,
                literal=literal if literal != target else "", role_explicit=explicit,
                goal=ZH_GOAL_VERBS.get(verb, ""))


def _take_position(chunk: str, count: int, ordinal: int | None) -> tuple[str, int, int | None]:
    match = _FIRST_N.match(chunk)
    if match:
        n = ZH_NUMERALS[match.group("n")]
        return chunk[match.end():], n, 1 if match.group("side") == "前" else -1
    match = _LAST.match(chunk)
    if match:
        n = ZH_NUMERALS[match.group("n")] if match.group("n") else 1
        return chunk[match.end():], count, -n
    match = _ORDINAL.match(chunk)
    if match:
        return chunk[match.end():], count, ZH_NUMERALS[match.group("n")]
    return chunk, count, ordinal


def _strip_particles(text: str) -> str:
    previous = None
    text = text.strip()
    while previous != text:
        previous = text
        text = _PARTICLES.sub("", text).strip()
    return text
