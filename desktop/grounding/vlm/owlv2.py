"""OWLv2 / OWL-ViT open-vocabulary detection: "the dog", "all the red cars" → boxes with scores."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding.vlm.base import Detection, ModelBackend

__all__ = ["Owlv2Backend", "nms"]


class Owlv2Backend(ModelBackend):
    """Open-vocabulary detection with ``Owlv2ForObjectDetection`` (OWL-ViT checkpoints work too).

    Box centres become points and detection scores confidences; every box
    above ``threshold`` is kept after non-maximum suppression, so "all"
    instructions get every instance.
    """

    name: ClassVar[str] = "owlv2"
    known_models: ClassVar[tuple[str, ...]] = ("google/owlv2-base-patch16-ensemble", "google/owlv2-large-patch14-ensemble",
                                               "google/owlvit-base-patch32")
    model_types: ClassVar[tuple[str, ...]] = ("owlv2", "owlvit")

    def __init__(self, model_dir: Any, *, threshold: float = 0.1, iou: float = 0.3, **kwargs: Any) -> None:
        super().__init__(model_dir, **kwargs)
        self.threshold = threshold
        self.iou = iou

    def _load(self) -> None:
        from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

        self._processor = AutoProcessor.from_pretrained(self.model_dir, local_files_only=True)
        self._model = AutoModelForZeroShotObjectDetection.from_pretrained(
            self.model_dir, local_files_only=True, dtype=self.dtype).to(self.device).eval()
        self._pads_to_square = self._model.config.model_type == "owlv2"

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        from PIL import Image

        height, width = image.shape[:2]
        inputs = self._processor(text=[[phrase]], images=Image.fromarray(image), return_tensors="pt")
        tensors = self.to_device(inputs)
        # OWLv2 pads the image to a square (bottom and right) before resizing: its boxes are
        # relative to that square, so the target size is the padded side, not the image's.
        side = max(height, width)
        target = (side, side) if self._pads_to_square else (height, width)
        return {"tensors": tensors, "target_size": target, "image_size": (height, width), "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        return self._model(**inputs["tensors"])

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        import torch

        raw.logits, raw.pred_boxes = raw.logits.float(), raw.pred_boxes.float()
        out = self._processor.post_process_grounded_object_detection(
            raw, threshold=self.threshold, target_sizes=torch.tensor([inputs["target_size"]]),
            text_labels=[[inputs["phrase"]]])[0]
        boxes = out["boxes"].cpu().numpy().astype(float)
        scores = out["scores"].cpu().numpy().astype(float)
        height, width = inputs["image_size"]
        # A box centred in the padding is a detection of grey, not of anything on screen.
        inside = ((boxes[:, 0] + boxes[:, 2]) / 2 < width) & ((boxes[:, 1] + boxes[:, 3]) / 2 < height)
        boxes, scores = boxes[inside], scores[inside]
        boxes[:, 0::2] = boxes[:, 0::2].clip(0, width)
        boxes[:, 1::2] = boxes[:, 1::2].clip(0, height)
        return [Detection(point=(float(boxes[i, 0] + boxes[i, 2]) / 2, float(boxes[i, 1] + boxes[i, 3]) / 2),
                          score=float(scores[i]), box=_box(boxes[i], width, height), label=inputs["phrase"])
                for i in nms(boxes, scores, self.iou)]


def _box(row: np.ndarray, width: int, height: int) -> Box | None:
    """The box, or ``None`` for one that the padding or clipping left empty."""
    x0, y0, x1, y1 = (float(v) for v in row)
    if x1 - x0 < 1 or y1 - y0 < 1 or x0 >= width or y0 >= height:
        return None
    return Box(x0, y0, x1, y1)


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    """Indices of the boxes kept by greedy non-maximum suppression, best score first."""
    order = list(np.argsort(-scores, kind="stable"))
    keep: list[int] = []
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    while order:
        i = order.pop(0)
        keep.append(int(i))
        rest = np.array(order, dtype=int)
        if rest.size == 0:
            break
        w = (np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0])).clip(0)
        h = (np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1])).clip(0)
        overlap = w * h / np.maximum(areas[i] + areas[rest] - w * h, 1e-9)
        order = [int(j) for j, o in zip(rest, overlap) if o <= iou]
    return keep
