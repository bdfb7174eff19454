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



#: Qwen's special tokens first (their ids are the tiny model's config), then what answers are made of.
QWEN_SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
                "<|image_pad|>", "<|video_pad|>"]
QWEN_WORDS = [*QWEN_SPECIAL, *"0123456789(),.", "user", "assistant", "the", "dog", "click", "[UNK]"]
QWEN_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% for c in m['content'] %}"
                 "{% if c['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
                 "{% else %}{{ c['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def tiny_qwen25(folder: Path, answer: list[str], *, arch: str = "qwen2_5_vl", name: str = "qwen2.5-vl") -> Path:
    """A tiny Qwen2.5-VL (or Qwen2-VL: ``arch="qwen2_vl"``) that answers ``answer`` and is sure of it.

    Hidden size 32, one layer, vision depth 1; saved as ``folder / name`` (the
    name is how families such as ShowUI are told apart).

    The weights are random except for a wired-in bigram: attention and MLP
    outputs are zeroed and each token's embedding is a one-hot, so the logits
    depend on the current token only, and ``lm_head`` maps the prompt's last
    token to ``answer[0]``, each answer token to the next, the last to
    ``<|im_end|>`` (the tokens of ``answer`` must be distinct). The whole
    forward pass, vision tower included, still runs at every step.

    The image processor allows at most 16 patches of 28 px, so a 300x200 image
    is seen as 112x84 (``smart_resize``) and the mapping back is not the identity.
    """
    import torch
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    vocab = {w: i for i, w in enumerate(QWEN_WORDS)}
    text = {"vocab_size": len(vocab), "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
            "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 512,
            "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]}, "tie_word_embeddings": False,
            "bos_token_id": vocab["<|endoftext|>"], "eos_token_id": vocab["<|im_end|>"],
            "pad_token_id": vocab["<|endoftext|>"]}
    model_cls, config = _qwen_config(arch, text, vocab)
    torch.manual_seed(0)
    model = model_cls(config).eval()
    chain = ["assistant", *answer, "<|im_end|>"]
    with torch.no_grad():
        layer = model.model.language_model.layers[0]
        layer.self_attn.o_proj.weight.zero_()
        layer.mlp.down_proj.weight.zero_()
        model.model.language_model.embed_tokens.weight.copy_(torch.eye(len(vocab), 32))
        model.lm_head.weight.zero_()
        for here, after in zip(chain, chain[1:]):
            model.lm_head.weight[vocab[after], vocab[here]] = 10.0
    out = folder / name
    model.save_pretrained(out)
    _qwen_tokenizer(vocab).save_pretrained(out)
    Qwen2VLImageProcessorPil(min_pixels=56 * 56, max_pixels=28 * 28 * 16, patch_size=14, merge_size=2,
                             temporal_patch_size=2).save_pretrained(out)
    (out / "chat_template.jinja").write_text(QWEN_TEMPLATE, encoding="utf-8")
    return out


def _qwen_config(arch: str, text: dict[str, Any], vocab: dict[str, int]) -> tuple[Any, Any]:
    import transformers

    ids = {"image_token_id": vocab["<|image_pad|>"], "video_token_id": vocab["<|video_pad|>"],
           "vision_start_token_id": vocab["<|vision_start|>"], "tie_word_embeddings": False,
           "eos_token_id": vocab["<|im_end|>"], "pad_token_id": vocab["<|endoftext|>"]}
    if arch == "qwen2_vl":
        vision = {"depth": 1, "embed_dim": 16, "hidden_size": 32, "num_heads": 2, "mlp_ratio": 2, "patch_size": 14,
                  "spatial_merge_size": 2, "temporal_patch_size": 2}
        return (transformers.Qwen2VLForConditionalGeneration,
                transformers.Qwen2VLConfig(text_config=text, vision_config=vision, **ids))
    vision = {"depth": 1, "hidden_size": 16, "intermediate_size": 32, "num_heads": 2, "out_hidden_size": 32,
              "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2, "window_size": 56,
              "fullatt_block_indexes": [0]}
    return (transformers.Qwen2_5_VLForConditionalGeneration,
            transformers.Qwen2_5_VLConfig(text_config=text, vision_config=vision, **ids))


def _qwen_tokenizer(vocab: dict[str, int]) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                 pre_tokenizers.Digits(individual_digits=True),
                                                 pre_tokenizers.Punctuation()])
    tok.add_special_tokens(QWEN_SPECIAL)
    tok.decoder = decoders.Fuse()  # "(", "2", "8", ... decode to "(28,...)"
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   unk_token="[UNK]", chat_template=QWEN_TEMPLATE)


def tiny_grounding_dino(folder: Path) -> Path:
    """A randomly initialised Grounding DINO (ResNet backbone, d_model 32, 10 queries) with a tiny BERT tokenizer.

    Its boxes are wide ones centred on the model's (random) reference points.

    The image processor resizes every image to 96x64 (shortest edge 64), so a
    300x200 and a 150x100 image look the same to the model.
    """
    import torch
    from transformers import (BertConfig, GroundingDinoConfig, GroundingDinoForObjectDetection,
                              GroundingDinoProcessor, ResNetConfig)
    from transformers.models.grounding_dino.image_processing_pil_grounding_dino import (
        GroundingDinoImageProcessorPil,
    )

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "the", "dog", "cat", "red", "cars", "button"]
    backbone = ResNetConfig(num_channels=3, embedding_size=8, hidden_sizes=[8, 16, 16, 16], depths=[1, 1, 1, 1],
                            layer_type="basic", out_features=["stage2", "stage3", "stage4"])
    text = BertConfig(vocab_size=len(words), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                      intermediate_size=32, max_position_embeddings=64)
    # Two decoder layers: the box heads of layers 2+ are tied to the first.
    config = GroundingDinoConfig(backbone_config=backbone, text_config=text, use_timm_backbone=False, d_model=32,
                                 encoder_layers=1, decoder_layers=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
                                 encoder_attention_heads=2, decoder_attention_heads=2, num_queries=10,
                                 num_feature_levels=3, encoder_n_points=2, decoder_n_points=2, max_text_len=16)
    torch.manual_seed(0)
    model = GroundingDinoForObjectDetection(config).eval()
    with torch.no_grad():  # wide boxes around the random reference points: they overlap, NMS has work
        head = model.bbox_embed[0].layers[-1]  # shared by every decoder layer
        head.weight.zero_()
        head.bias.copy_(torch.tensor([0.0, 0.0, 1.0, 1.0]))
    out = folder / "grounding-dino"
    model.save_pretrained(out)
    image_processor = GroundingDinoImageProcessorPil(size={"shortest_edge": 64, "longest_edge": 96})
    GroundingDinoProcessor(image_processor=image_processor, tokenizer=_tiny_bert_tokenizer(words)).save_pretrained(out)
    return out


def _tiny_bert_tokenizer(words: list[str]) -> Any:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertTokenizerFast

    vocab = {w: i for i, w in enumerate(words)}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.decoder = decoders.WordPiece()
    return BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
                             cls_token="[CLS]", mask_token="[MASK]")


FLORENCE_SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<image>"]
FLORENCE_WORDS = [*FLORENCE_SPECIAL, "Locate", "the", "phrases", "in", "caption", ":", "dog", "cat"]


def tiny_florence2(folder: Path, answer: list[str]) -> Path:
    """A tiny Florence-2 (DaViT 4x1 blocks, BART d_model 16, one layer each) that answers ``answer``, surely.

    As in :func:`tiny_qwen25`, the decoder is wired as a bigram (self- and
    cross-attention and MLP outputs zeroed, positions zeroed, one-hot
    embeddings): from the start token ``</s>`` it writes ``answer`` then
    ``</s>``; the image and prompt still go through the encoder. 64x64 input,
    5 image tokens (2x2 patches and the pooled one).
    """
    import torch
    from transformers import BartConfig, Florence2Config, Florence2ForConditionalGeneration, Florence2Processor
    from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil
    from transformers.models.florence2.configuration_florence2 import Florence2VisionConfig

    vocab = {w: i for i, w in enumerate([*FLORENCE_WORDS, *(f"<loc_{i}>" for i in range(1000))])}
    text = BartConfig(vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
                      encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
                      max_position_embeddings=64, bos_token_id=0, pad_token_id=1, eos_token_id=2,
                      decoder_start_token_id=2, tie_word_embeddings=False)
    vision = Florence2VisionConfig(depths=[1, 1, 1, 1], embed_dim=[8, 8, 16, 16], num_heads=[1, 1, 2, 2],
                                   num_groups=[1, 1, 2, 2], window_size=2, projection_dim=16, drop_path_rate=0.0)
    config = Florence2Config(text_config=text, vision_config=vision, image_token_id=vocab["<image>"],
                             tie_word_embeddings=False)
    torch.manual_seed(0)
    model = Florence2ForConditionalGeneration(config).eval()
    _wire_bigram_decoder(model, [vocab[t] for t in ["</s>", *answer, "</s>"]])
    out = folder / "florence2"
    model.save_pretrained(out)
    image_processor = CLIPImageProcessorPil(size={"height": 64, "width": 64}, crop_size={"height": 64, "width": 64},
                                            do_center_crop=False, image_seq_length=5)
    Florence2Processor(image_processor=image_processor, tokenizer=_florence_tokenizer(vocab),
                       post_processor_config={"phrase_grounding": {"banned_grounding_tokens": ["the image"]},
                                              "pure_text": {}}).save_pretrained(out)
    return out


def _wire_bigram_decoder(model: Any, chain: list[int]) -> None:
    import torch

    decoder = model.model.language_model.decoder
    width = decoder.embed_tokens.weight.shape[1]
    with torch.no_grad():
        layer = decoder.layers[0]
        for linear in (layer.self_attn.out_proj, layer.encoder_attn.out_proj, layer.fc2):
            linear.weight.zero_()
            linear.bias.zero_()
        decoder.embed_positions.weight.zero_()
        embeddings = decoder.embed_tokens.weight  # the decoder's own (untied from the encoder's)
        for slot, token in enumerate(dict.fromkeys(chain)):
            embeddings[token] = torch.nn.functional.one_hot(torch.tensor(slot), width).float()
        model.lm_head.weight.zero_()
        for here, after in zip(chain, chain[1:]):
            hidden = decoder.layernorm_embedding(embeddings[here])
            model.lm_head.weight[after] = 10.0 * hidden / hidden.norm()


def _florence_tokenizer(vocab: dict[str, int]) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()])
    tok.add_special_tokens(FLORENCE_SPECIAL)
    tok.add_tokens([w for w in vocab if w.startswith("<loc_")])
    tok.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                   unk_token="<unk>", extra_special_tokens={"image_token": "<image>"})
