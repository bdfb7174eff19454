"""Shared by the vlm tests: a guard that fails a test opening a socket, and tiny random checkpoints."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: nothing here may reach the network."""

    def refuse(self: socket.socket, address: Any) -> None:
        pytest.fail(f"a vlm test tried to open a connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def tiny_owlv2(folder: Path) -> Path:
    """A randomly initialised OWLv2 (hidden size 16, one layer, 32-pixel images) with its processor."""
    import torch
    from transformers import Owlv2Config, Owlv2ForObjectDetection, Owlv2Processor
    from transformers.models.owlv2.image_processing_pil_owlv2 import Owlv2ImageProcessorPil

    torch.manual_seed(0)
    tokenizer = _tiny_clip_tokenizer(folder / "tok")
    text = {"vocab_size": tokenizer.vocab_size, "hidden_size": 16, "intermediate_size": 32,
            "num_hidden_layers": 1, "num_attention_heads": 2, "max_position_embeddings": 16,
            "bos_token_id": 0, "eos_token_id": 1, "pad_token_id": 2}
    vision = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
              "image_size": 32, "patch_size": 8}
    config = Owlv2Config(text_config=text, vision_config=vision, projection_dim=16)
    model = Owlv2ForObjectDetection(config).eval()
    with torch.no_grad():  # every patch a confident detection, so post-processing and NMS have work
        for layer, bias in ((model.class_head.logit_shift, 3.0), (model.class_head.logit_scale, 1.0)):
            layer.weight.zero_()
            layer.bias.fill_(bias)
        # Boxes fall back to the model's prior: one box per patch, centred on it.
        model.box_head.dense2.weight.zero_()
        model.box_head.dense2.bias.zero_()
    image_processor = Owlv2ImageProcessorPil(size={"height": 32, "width": 32})
    processor = Owlv2Processor(image_processor=image_processor, tokenizer=tokenizer)
    out = folder / "owlv2"
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def _tiny_clip_tokenizer(folder: Path) -> Any:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = ["<|startoftext|>", "<|endoftext|>", "!", "a", "photo", "of", "the", "dog", "cat", "cars",
             "red", "button", "[UNK]"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|startoftext|>",
                                   eos_token="<|endoftext|>", pad_token="!", unk_token="[UNK]",
                                   model_max_length=16)
    return fast

