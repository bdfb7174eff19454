"""Florence-2 phrase grounding: "the dog" → the boxes Florence-2 writes as ``<loc_…>`` tokens.

transformers 5 runs Florence-2 natively (``Florence2ForConditionalGeneration``,
``Florence2Processor``): no ``trust_remote_code``. The checkpoints in that
format are the ``florence-community`` ones.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, ClassVar

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding.vlm.base import Detection, ModelBackend, generate_answer, mean_token_probability

__all__ = ["Florence2Backend", "TASK"]

logger = logging.getLogger(__name__)

TASK = "<CAPTION_TO_PHRASE_GROUNDING>"


class Florence2Backend(ModelBackend):
    """Florence-2 ``<CAPTION_TO_PHRASE_GROUNDING>``: every box of the phrase, centres as points.

    The confidence of every box is the mean probability of the answer's tokens
    (Florence-2 gives no per-box score); a later box of the same answer is
    ranked a hair lower, keeping the model's order.
    """

    name: ClassVar[str] = "florence2"
    known_models: ClassVar[tuple[str, ...]] = ("florence-community/Florence-2-base",
                                               "florence-community/Florence-2-large")
    model_types: ClassVar[tuple[str, ...]] = ("florence2",)

    def __init__(self, model_dir: Any, *, max_new_tokens: int = 64, **kwargs: Any) -> None:
        super().__init__(model_dir, **kwargs)
        self.max_new_tokens = max_new_tokens

    def _load(self) -> None:
        from transformers import AutoProcessor, Florence2ForConditionalGeneration

        self._processor = AutoProcessor.from_pretrained(self.model_dir, local_files_only=True)
        model: Any = Florence2ForConditionalGeneration.from_pretrained(self.model_dir, local_files_only=True, dtype=self.dtype)
        self._model = model.to(self.device).eval()

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        from PIL import Image

        inputs = self._processor(text=TASK + phrase, images=Image.fromarray(image), return_tensors="pt")
        return {"tensors": self.to_device(inputs), "image_size": image.shape[:2], "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        new, logprobs = generate_answer(self._model, inputs["tensors"], max_new_tokens=self.max_new_tokens,
                                        cancel=cancel, skip_ids=set(self._processor.tokenizer.all_special_ids))
        # The <loc_…> tokens are the answer: decode without dropping special tokens.
        return {"text": self._processor.decode(new, skip_special_tokens=False), "logprobs": logprobs}

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        height, width = inputs["image_size"]
        parsed = self._processor.post_process_generation(raw["text"], task=TASK, image_size=(width, height))[TASK]
        if not parsed["bboxes"]:
            logger.warning("no box in the Florence-2 answer: the model gives no point")
            logger.debug("answer without boxes: %r", raw["text"])
            return []
        confidence = mean_token_probability(raw["logprobs"])
        out = []
        for rank, (x0, y0, x1, y1) in enumerate(parsed["bboxes"]):
            x0, x1 = sorted((min(max(float(x0), 0.0), width), min(max(float(x1), 0.0), width)))
            y0, y1 = sorted((min(max(float(y0), 0.0), height), min(max(float(y1), 0.0), height)))
            box = Box(x0, y0, x1, y1) if x1 - x0 >= 1 and y1 - y0 >= 1 else None
            out.append(Detection(point=((x0 + x1) / 2, (y0 + y1) / 2), score=confidence * 0.99 ** rank, box=box,
                                 label=inputs["phrase"]))
        return out
