"""Which model family a checkpoint is, and so which backend runs it, in which coordinate convention.

The ``model_type`` in ``config.json`` names the architecture, not what the
numbers in the answer mean: ShowUI and UI-TARS v1 are both ``qwen2_vl``, one
answering in fractions of the image and the other in thousandths. The folder
or repository name (and the ``_name_or_path`` the checkpoint was saved with)
tells the fine-tunes apart; the architecture's own convention is the fallback.
A wrong convention is a click in the wrong place, so this table is tested
family by family.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Family", "FAMILIES", "identify", "checkpoint_names", "read_config"]

_GUI_PROMPT = ("Output only the coordinate of one point in your response. "
               "What element matches the following task: {phrase}")


@dataclass(frozen=True)
class Family:
    """A model family: how to recognise it, which backend runs it and how it answers.

    ``backend`` is empty for a family the app recognises but cannot run
    (``note`` says why).
    """

    name: str
    backend: str
    convention: str
    model_types: tuple[str, ...]
    #: Lower-case fragments of a folder or repository name; empty: any name (the architecture's default).
    name_keys: tuple[str, ...] = ()
    prompt: str = _GUI_PROMPT
    note: str = ""


#: Specific fine-tunes first, then each architecture's default; the first match wins.
FAMILIES: tuple[Family, ...] = (
    Family("UI-TARS-1.5", "qwen2.5-vl", "absolute_resized", ("qwen2_5_vl",), ("ui-tars-1.5",)),
    Family("GTA1", "qwen2.5-vl", "absolute_resized", ("qwen2_5_vl",), ("gta1",)),
    Family("ShowUI", "qwen-vl-1", "relative_1", ("qwen2_vl",), ("showui",),
           prompt=("Based on the screenshot of the page, I give a text description and you give its "
                   "corresponding location. The coordinate represents a clickable location [x, y] for an "
                   "element, which is a relative coordinate on the screenshot, scaled from 0 to 1.\n{phrase}")),
    Family("Aguvis", "qwen-vl-1", "relative_1", ("qwen2_vl",), ("aguvis",),
           prompt=("You are a GUI agent. You are given a task and a screenshot of the screen. You need to "
                   "perform a pyautogui action to complete the task.\nTask: click {phrase}")),
    Family("UI-TARS", "qwen-vl-1000", "relative_1000", ("qwen2_vl",), ("ui-tars",)),
    Family("OS-Atlas", "qwen-vl-1000", "relative_1000", ("qwen2_vl",), ("os-atlas",),
           prompt=('In this UI screenshot, what is the position of the element corresponding to the command '
                   '"{phrase}" (with bbox)?')),
    Family("UGround", "qwen-vl-1000", "relative_1000", ("qwen2_vl",), ("uground",),
           prompt=("Your task is to help the user identify the precise coordinates (x, y) of a specific "
                   "area/element/object on the screen based on a description.\n\n- Your response should aim to "
                   "point to the center or a representative point within the described area/element/object as "
                   "accurately as possible.\n- If the description is unclear or ambiguous, infer the most relevant "
                   "area or element based on its likely context or purpose.\n- Your answer should be a single "
                   "string (x, y) corresponding to the point of the interest.\n\nDescription: {phrase}\n\nAnswer:")),
    Family("SeeClick", "", "relative_1", ("qwen",), ("seeclick",),
           note="a Qwen-VL (v1) checkpoint that needs trust_remote_code, which the app never runs"),
    Family("Qwen2.5-VL", "qwen2.5-vl", "absolute_resized", ("qwen2_5_vl",)),
    Family("Qwen2-VL", "qwen-vl-1000", "relative_1000", ("qwen2_vl",)),
    Family("Qwen3-VL", "qwen-vl-1000", "relative_1000", ("qwen3_vl",),
           prompt='Locate "{phrase}" in the image and output its point coordinates in JSON format.'),
    Family("OWLv2", "owlv2", "absolute", ("owlv2", "owlvit")),
    Family("Grounding DINO", "grounding-dino", "absolute", ("grounding-dino", "mm-grounding-dino")),
    Family("Florence-2", "florence2", "absolute", ("florence2",)),
)


def identify(model_type: str, names: tuple[str, ...] | list[str] = ()) -> Family | None:
    """The family of a checkpoint from its ``model_type`` and any names it goes by (folder, repo id).

    Returns
    -------
    Family or None
        ``None`` when no family has this ``model_type``.
    """
    lowered = [n.lower() for n in names if n]
    for family in FAMILIES:
        if model_type not in family.model_types:
            continue
        if not family.name_keys or any(key in name for key in family.name_keys for name in lowered):
            return family
    return None


def checkpoint_names(folder: Path, config: dict[str, Any]) -> tuple[str, ...]:
    """The names a checkpoint folder goes by: its own, its hub repository's (in the cache), its saved path."""
    names = [folder.name, str(config.get("_name_or_path", ""))]
    if folder.parent.name == "snapshots":  # hub cache: models--org--name/snapshots/<hash>
        names.append(folder.parent.parent.name[len("models--"):].replace("--", "/"))
    return tuple(n for n in names if n)


def read_config(folder: Path) -> dict[str, Any]:
    """``config.json`` as a dict (empty when missing or unreadable)."""
    try:
        data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
