"""GUI grounding VLMs that answer with coordinates in text: the Qwen2.5-VL family and kin.

The answer is parsed by :mod:`desktop.grounding.vlm.coords`; each family's
coordinate convention maps it back to the original image. The model's own
probability of the tokens it wrote is the confidence.
"""

from __future__ import annotations

import math
import threading
from typing import Any, ClassVar

import numpy as np

from desktop.grounding.vlm.base import Detection, ModelBackend
from desktop.grounding.vlm.coords import parse_targets, to_image

__all__ = ["Qwen25VlBackend", "QwenRelativeBackend"]

_PROMPT = ("Output only the coordinate of one point in your response. "
           "What element matches the following task: {phrase}")


class Qwen25VlBackend(ModelBackend):
    """Qwen2.5-VL, UI-TARS-1.5, GTA1: absolute pixels of the ``smart_resize``-d image."""

    name: ClassVar[str] = "qwen2.5-vl"
    known_models: ClassVar[tuple[str, ...]] = ("ByteDance-Seed/UI-TARS-1.5-7B", "HelloKKMe/GTA1-7B",
                                               "Qwen/Qwen2.5-VL-3B-Instruct")
    model_types: ClassVar[tuple[str, ...]] = ("qwen2_5_vl",)
    convention: ClassVar[str] = "absolute_resized"
    prompt: ClassVar[str] = _PROMPT

    def __init__(self, model_dir: Any, *, max_new_tokens: int = 32, **kwargs: Any) -> None:
        super().__init__(model_dir, **kwargs)
        self.max_new_tokens = max_new_tokens

    def _load(self) -> None:
        from transformers import AutoModelForImageTextToText, AutoProcessor

        self._processor = AutoProcessor.from_pretrained(self.model_dir, local_files_only=True)
        self._model = AutoModelForImageTextToText.from_pretrained(
            self.model_dir, local_files_only=True, dtype=self.dtype).to(self.device).eval()

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        from PIL import Image

        messages = [{"role": "user", "content": [{"type": "image"},
                                                 {"type": "text", "text": self.prompt.format(phrase=phrase)}]}]
        text = self._processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = self._processor(text=[text], images=[Image.fromarray(image)], return_tensors="pt")
        # The size the model saw, from the processor itself: grid cells × patch size.
        _, grid_h, grid_w = (int(v) for v in inputs["image_grid_thw"][0])
        patch = int(self._processor.image_processor.patch_size)
        tensors = {k: (v.to(self.device, self.dtype) if v.is_floating_point() else v.to(self.device))
                   for k, v in inputs.items()}
        return {"tensors": tensors, "resized": (grid_h * patch, grid_w * patch),
                "image_size": image.shape[:2], "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        from transformers import StoppingCriteria, StoppingCriteriaList

        class _Cancelled(StoppingCriteria):  # checked after every token: cancel stops within one step
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                return cancel.is_set()

        out = self._model.generate(**inputs["tensors"], max_new_tokens=self.max_new_tokens, do_sample=False,
                                   output_scores=True, return_dict_in_generate=True,
                                   stopping_criteria=StoppingCriteriaList([_Cancelled()]))
        prompt_len = inputs["tensors"]["input_ids"].shape[1]
        new = out.sequences[0, prompt_len:]
        logprobs = [float(step[0].float().log_softmax(-1)[tok]) for step, tok in zip(out.scores, new)]
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
    convention: ClassVar[str] = "relative_1000"


def detections_from_text(text: str, logprobs: list[float], convention: str, image_size: tuple[int, int],
                         resized: tuple[int, int] | None, phrase: str) -> list[Detection]:
    """Every point in a model's answer, in original pixels, scored by the answer's mean token probability."""
    height, width = image_size
    confidence = math.exp(sum(logprobs) / len(logprobs)) if logprobs else 0.5
    out = []
    for rank, target in enumerate(parse_targets(text)):
        point, box = to_image(target, convention, width, height, resized)
        # A model asked for one point that writes several is surest of the first.
        out.append(Detection(point=point, score=confidence * 0.9 ** rank, box=box, label=phrase))
    return out
