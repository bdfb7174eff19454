"""Candidate sources by name: lazy imports, with an install hint when one is missing."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from desktop.core.errors import BackendUnavailable
from desktop.core.sources import CandidateSource

__all__ = ["SourceSpec", "SOURCES", "DEFAULT_ORDER", "LAST_STAGE", "create_source", "stage_of"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceSpec:
    module: str
    cls: str
    hint: str
    #: Runs only for a request that brings what it needs (a reference image).
    on_demand: bool = False
    #: Sources run in stages, cheapest evidence first; the engine stops after a stage whose
    #: answer is already confident. 0: the accessibility tree (live screens only);
    #: 1: OCR, controls, reference matching; 2: icons (the installed theme's pictures, the icon model).
    stage: int = 1


SOURCES: dict[str, SourceSpec] = {
    "a11y": SourceSpec("desktop.grounding.a11y", "AccessibilitySource", "pip install jeepney", stage=0),
    "ocr": SourceSpec("desktop.grounding.ocr", "OcrSource", "pip install rapidocr-onnxruntime"),
    "controls": SourceSpec("desktop.grounding.controls", "ControlSource", "pip install opencv-python"),
    "template": SourceSpec("desktop.grounding.template", "TemplateSource", "pip install opencv-python",
                           on_demand=True),
    "theme": SourceSpec("desktop.grounding.theme_icons", "ThemeIconSource",
                        "install an icon theme (e.g. adwaita-icon-theme)", stage=2),
    "icons": SourceSpec("desktop.grounding.icons", "IconSource", "see models/README.md", stage=2),
}

#: Order within a stage matters: later sources see what earlier ones found (controls attach OCR labels).
DEFAULT_ORDER = ("a11y", "ocr", "controls", "template", "theme", "icons")
LAST_STAGE = max(spec.stage for spec in SOURCES.values())


def stage_of(name: str) -> int:
    """The stage a source runs in (an unknown, injected source runs with OCR)."""
    spec = SOURCES.get(name)
    return spec.stage if spec is not None else 1


def create_source(name: str, *, model_dir: str | None = None, models_dir: str | None = None,
                  device: str = "auto", dtype: str = "auto") -> CandidateSource:
    """Instantiate the named source, or raise :class:`BackendUnavailable` saying how to get it.

    Vision-language backends (``owlv2``, ``qwen2.5-vl``, see
    :mod:`desktop.grounding.vlm`) load from ``model_dir``, or the first
    matching checkpoint in ``models_dir`` or the Hugging Face cache, on
    ``device`` in ``dtype`` (``auto``: CUDA in bfloat16/float16 when available, else the CPU in float32).
    """
    from desktop.grounding.vlm import BACKENDS

    if name in BACKENDS:
        return _create_vlm_source(name, model_dir, models_dir, device, dtype)
    spec = SOURCES.get(name)
    if spec is None:
        known = ", ".join(sorted([*SOURCES, *BACKENDS]))
        raise BackendUnavailable(f"There is no candidate source called {name!r}.", f"Known sources: {known}.")
    try:
        module = importlib.import_module(spec.module)
        source = getattr(module, spec.cls)()
    except (ImportError, AttributeError) as exc:
        raise BackendUnavailable(f"The {name!r} source cannot be loaded: {exc}.", spec.hint) from exc
    if not source.available():
        raise BackendUnavailable(f"The {name!r} source is not available on this machine.", spec.hint)
    return source


def _create_vlm_source(name: str, model_dir: str | None, models_dir: str | None, device: str,
                       dtype: str) -> CandidateSource:
    from desktop.core.errors import ModelMissing

    try:
        from desktop.grounding.vlm import backend_class
        from desktop.grounding.vlm.models import locate_model
        from desktop.grounding.vlm.source import VlmSource

        backend = backend_class(name)(locate_model(name, model_dir, models_dir), device=device, dtype=dtype)
    except ImportError as exc:
        raise BackendUnavailable(f"The {name!r} backend cannot be loaded: {exc}.",
                                 "pip install transformers") from exc
    except ModelMissing as exc:
        raise BackendUnavailable(exc.user_message, exc.hint) from exc
    source = VlmSource(backend)
    if not source.available():
        raise BackendUnavailable(f"The {name!r} backend needs transformers.", "pip install transformers")
    return source
