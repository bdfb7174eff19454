"""GUI grounding VLMs that answer with coordinates in text: the Qwen2.5-VL family and kin.

The answer is parsed by :mod:`desktop.grounding.vlm.coords`; each family's
coordinate convention maps it back to the original image. The model's own
probability of the tokens it wrote is the confidence.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from desktop.grounding.vlm.base import Detection, ModelBackend, generate_answer, mean_token_probability
from desktop.grounding.vlm.coords import parse_targets, to_image
from desktop.grounding.vlm.families import checkpoint_names, identify, read_config

__all__ = ["Qwen25VlBackend", "QwenRelativeBackend", "QwenFractionBackend", "image_only_processor",
           "detections_from_text"]

logger = logging.getLogger(__name__)

_PROMPT = ("Output only the coordinate of one point in your response. "
           "What element matches the following task: {phrase}")


class Qwen25VlBackend(ModelBackend):
    """Qwen2.5-VL, UI-TARS-1.5, GTA1: absolute pixels of the ``smart_resize``-d image."""

    name: ClassVar[str] = "qwen2.5-vl"
    known_models: ClassVar[tuple[str, ...]] = ("ByteDance-Seed/UI-TARS-1.5-7B", "HelloKKMe/GTA1-7B",
                                               "Qwen/Qwen2.5-VL-3B-Instruct")
    model_types: ClassVar[tuple[str, ...]] = ("qwen2_5_vl",)
    #: The coordinate convention and prompt: the class default, or the checkpoint family's once loaded.
    convention: str = "absolute_resized"
    prompt: str = _PROMPT
    #: The transformers processor class of each ``model_type`` this backend runs.
    processors: ClassVar[dict[str, str]] = {"qwen2_5_vl": "Qwen2_5_VLProcessor"}

    def __init__(self, model_dir: Any, *, max_new_tokens: int = 32, **kwargs: Any) -> None:
        super().__init__(model_dir, **kwargs)
        self.max_new_tokens = max_new_tokens

    def _load(self) -> None:
        from transformers import AutoModelForImageTextToText

        model: Any = AutoModelForImageTextToText.from_pretrained(self.model_dir, local_files_only=True, dtype=self.dtype)
        self._model = model.to(self.device).eval()
        model_type = self._model.config.model_type
        if model_type not in self.processors:
            raise ValueError(f"{self.name} cannot run a {model_type!r} model; "
                             f"it runs {', '.join(self.processors)}")
        self._processor = image_only_processor(self.model_dir, self.processors[model_type])
        self._follow_family(model_type)

    def _follow_family(self, model_type: str) -> None:
        """Use the checkpoint's own prompt and coordinate convention when its family is known.

        A fine-tune answering in another convention than this backend's would
        click in the wrong place: the family wins, with a warning.
        """
        family = identify(model_type, checkpoint_names(self.model_dir, read_config(self.model_dir)))
        if family is None or not family.backend:
            return
        if family.convention != self.convention:
            logger.warning("%s answers in %s coordinates, not %s: using %s (its backend is %s)", family.name,
                           family.convention, self.convention, family.convention, family.backend)
        self.convention, self.prompt = family.convention, family.prompt

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        from PIL import Image

        messages = [{"role": "user", "content": [{"type": "image"},
                                                 {"type": "text", "text": self.prompt.format(phrase=phrase)}]}]
        text = self._processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = self._processor(text=[text], images=[Image.fromarray(image)], return_tensors="pt")
        # The size the model saw, from the processor itself: grid cells × patch size.
        _, grid_h, grid_w = (int(v) for v in inputs["image_grid_thw"][0])
        patch = int(self._processor.image_processor.patch_size)
        tensors = self.to_device(inputs)
        return {"tensors": tensors, "resized": (grid_h * patch, grid_w * patch),
                "image_size": image.shape[:2], "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        new, logprobs = generate_answer(self._model, inputs["tensors"], max_new_tokens=self.max_new_tokens,
                                        cancel=cancel, skip_ids=set(self._processor.tokenizer.all_special_ids))
        return {"text": self._processor.decode(new, skip_special_tokens=True), "logprobs": logprobs}

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        return detections_from_text(raw["text"], raw["logprobs"], self.convention, inputs["image_size"],
                                    inputs["resized"], inputs["phrase"])


class QwenRelativeBackend(Qwen25VlBackend):
    """UI-TARS v1, OS-Atlas, UGround (Qwen2-VL based), Qwen3-VL: thousandths of width and height."""

    name: ClassVar[str] = "qwen-vl-1000"
    known_models: ClassVar[tuple[str, ...]] = ("osunlp/UGround-V1-2B", "OS-Copilot/OS-Atlas-Base-7B",
                                               "Qwen/Qwen3-VL-2B-Instruct")
    model_types: ClassVar[tuple[str, ...]] = ("qwen2_vl", "qwen3_vl")
    convention: str = "relative_1000"
    processors: ClassVar[dict[str, str]] = {"qwen2_vl": "Qwen2VLProcessor", "qwen3_vl": "Qwen3VLProcessor"}


class QwenFractionBackend(QwenRelativeBackend):
    """ShowUI, Aguvis (Qwen2-VL based): fractions of width and height (0–1)."""

    name: ClassVar[str] = "qwen-vl-1"
    known_models: ClassVar[tuple[str, ...]] = ("showlab/ShowUI-2B", "xlangai/Aguvis-7B-720P")
    model_types: ClassVar[tuple[str, ...]] = ("qwen2_vl",)
    convention: str = "relative_1"
    processors: ClassVar[dict[str, str]] = {"qwen2_vl": "Qwen2VLProcessor"}


def image_only_processor(model_dir: str | Path, processor_class: str) -> Any:
    """The model's processor built from its tokenizer, image processor and chat template, without video.

    ``AutoProcessor`` also loads the video processor, which in transformers 5
    needs torchvision even for still images; a grounding query never sends
    video, so the processor is assembled from the parts it does use.

    Parameters
    ----------
    model_dir
        The local checkpoint folder.
    processor_class
        A transformers processor class name, e.g. ``"Qwen2_5_VLProcessor"``.
    """
    import transformers
    from transformers import AutoImageProcessor, AutoTokenizer

    folder = Path(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    image_processor = AutoImageProcessor.from_pretrained(folder, local_files_only=True)
    base = getattr(transformers, processor_class)

    class _ImageOnly(base):  # type: ignore[misc, valid-type]
        def check_argument_for_proper_class(self, argument_name: str, argument: Any) -> Any:
            if argument_name == "video_processor" and argument is None:
                return None  # the class check would import the video processor (torchvision)
            return super().check_argument_for_proper_class(argument_name, argument)

    return _ImageOnly(image_processor=image_processor, tokenizer=tokenizer, video_processor=None,
                      chat_template=_chat_template(folder) or tokenizer.chat_template)


def _chat_template(folder: Path) -> str | None:
    """The processor's chat template: ``chat_template.jinja`` (transformers 5) or ``chat_template.json``."""
    import json

    if (folder / "chat_template.jinja").is_file():
        return (folder / "chat_template.jinja").read_text(encoding="utf-8")
    if (folder / "chat_template.json").is_file():
        return json.loads((folder / "chat_template.json").read_text(encoding="utf-8")).get("chat_template")
    return None


def detections_from_text(text: str, logprobs: list[float], convention: str, image_size: tuple[int, int],
                         resized: tuple[int, int] | None, phrase: str) -> list[Detection]:
    """Every point in a model's answer, in original pixels, scored by the answer's mean token probability."""
    height, width = image_size
    confidence = mean_token_probability(logprobs)
    targets = parse_targets(text)
    if not targets:
        # A model that answers in words (or a broken one) must not become a click anywhere.
        logger.warning("no coordinates in the answer: the model gives no point")
        logger.debug("answer without coordinates: %r", text)
        return []
    out = []
    for rank, target in enumerate(targets):
        point, box = to_image(target, convention, width, height, resized)
        # A model asked for one point that writes several is surest of the first.
        out.append(Detection(point=point, score=confidence * 0.9 ** rank, box=box, label=phrase))
    return out
