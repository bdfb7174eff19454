"""Optional vision-language backends (transformers, local weights only).

Nothing here imports torch or transformers at import time; each backend
does so when its model loads.
"""

from __future__ import annotations

__all__ = ["BACKENDS", "backend_class"]

import importlib
from typing import Any

#: ``--backend`` name → ``module:Class`` of its :class:`~desktop.grounding.vlm.base.ModelBackend`.
BACKENDS: dict[str, str] = {
    "owlv2": "desktop.grounding.vlm.owlv2:Owlv2Backend",
    "grounding-dino": "desktop.grounding.vlm.grounding_dino:GroundingDinoBackend",
    "florence2": "desktop.grounding.vlm.florence2:Florence2Backend",
    "qwen2.5-vl": "desktop.grounding.vlm.qwen:Qwen25VlBackend",
    "qwen-vl-1000": "desktop.grounding.vlm.qwen:QwenRelativeBackend",
    "qwen-vl-1": "desktop.grounding.vlm.qwen:QwenFractionBackend",
}


def backend_class(name: str) -> Any:
    """The backend class for ``name`` (imported now; raises ``KeyError`` for an unknown name)."""
    module, cls = BACKENDS[name].split(":")
    return getattr(importlib.import_module(module), cls)
