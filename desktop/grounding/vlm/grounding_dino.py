"""Grounding DINO open-vocabulary detection: "the dog", "all the red cars" → boxes with scores."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding.vlm.base import Detection, ModelBackend
from desktop.grounding.vlm.owlv2 import nms

__all__ = ["GroundingDinoBackend", "dino_prompt"]


def dino_prompt(phrase: str) -> str:
    """The text Grounding DINO expects: lower case, ending with a full stop ("Red Cars" → "red cars.")."""
    text = " ".join(phrase.lower().split()).rstrip(".")
    return f"{text}."


class GroundingDinoBackend(ModelBackend):
    """Open-vocabulary detection with ``GroundingDinoForObjectDetection`` (and MM Grounding DINO).

    Box centres become points and box scores confidences; every box above
    ``box_threshold`` whose phrase tokens pass ``text_threshold`` is kept
    after non-maximum suppression, so "all" instructions get every instance.

    Parameters
    ----------
    box_threshold, text_threshold
        The model card's defaults (0.35, 0.25).
    iou
        Boxes overlapping a better one by more than this are dropped.
    """

    name: ClassVar[str] = "grounding-dino"
    known_models: ClassVar[tuple[str, ...]] = ("IDEA-Research/grounding-dino-tiny", "IDEA-Research/grounding-dino-base")
    model_types: ClassVar[tuple[str, ...]] = ("grounding-dino", "mm-grounding-dino")

    def __init__(self, model_dir: Any, *, box_threshold: float = 0.35, text_threshold: float = 0.25,
                 iou: float = 0.5, **kwargs: Any) -> None:
        super().__init__(model_dir, **kwargs)
        self.box_threshold = box_threshold
        self.text_threshold = text_threshold
        self.iou = iou

    def _load(self) -> None:
        from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

        self._processor = AutoProcessor.from_pretrained(self.model_dir, local_files_only=True)
        self._model = AutoModelForZeroShotObjectDetection.from_pretrained(
            self.model_dir, local_files_only=True, dtype=self.dtype).to(self.device).eval()

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        from PIL import Image

        inputs = self._processor(images=Image.fromarray(image), text=dino_prompt(phrase), return_tensors="pt")
        tensors = self.to_device(inputs)
        return {"tensors": tensors, "image_size": image.shape[:2], "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        return self._model(**inputs["tensors"])

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        raw.logits, raw.pred_boxes = raw.logits.float(), raw.pred_boxes.float()
        height, width = inputs["image_size"]
        # Boxes are fractions of the image without the batch padding: the original size maps them.
        out = self._processor.post_process_grounded_object_detection(
            raw, inputs["tensors"]["input_ids"], threshold=self.box_threshold,
            text_threshold=self.text_threshold, target_sizes=[(height, width)])[0]
        boxes = out["boxes"].cpu().numpy().astype(float).reshape(-1, 4)
        scores = out["scores"].cpu().numpy().astype(float)
        boxes[:, 0::2] = boxes[:, 0::2].clip(0, width)
        boxes[:, 1::2] = boxes[:, 1::2].clip(0, height)
        detections = []
        for i in nms(boxes, scores, self.iou):
            x0, y0, x1, y1 = (float(v) for v in boxes[i])
            box = Box(x0, y0, x1, y1) if x1 - x0 >= 1 and y1 - y0 >= 1 else None
            detections.append(Detection(point=((x0 + x1) / 2, (y0 + y1) / 2), score=float(scores[i]), box=box,
                                        label=inputs["phrase"]))
        return detections
