"""The command line: ``click-assist`` (the app), ``click-assist ground`` and friends.

Output for tools goes to stdout (one JSON object per line with ``--json`` or
``--jsonl``); logs and human messages go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence, TextIO

__all__ = ["main", "build_parser"]

logger = logging.getLogger(__name__)

_EXIT_ERROR = 2
_EXIT_NO_MATCH = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="click-assist",
        description="Say or type what to click; Click Assist finds it on screen and clicks after you confirm. "
                    "With no command, starts the desktop app.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    sub = parser.add_subparsers(dest="command")
    ground = sub.add_parser("ground", help="find the points an instruction names in a screenshot",
                            description="Ground an instruction on an image (or the live screen) and print "
                                        "the points to click. Never clicks.")
    ground.add_argument("image", nargs="?", help="screenshot file (PNG, JPEG, ...)")
    ground.add_argument("instruction", nargs="?", help='what to click, e.g. "click all checkboxes"')
    ground.add_argument("--json", action="store_true", help="print one JSON object (the ground contract)")
    ground.add_argument("--jsonl", metavar="FILE", help="batch: one request per line ('-' for stdin)")
    ground.add_argument("--min-clicks", type=int, default=None, metavar="N")
    ground.add_argument("--max-clicks", type=int, default=None, metavar="N")
    ground.add_argument("--reference", metavar="IMG", help="find where this small image appears")
    ground.add_argument("--backend", metavar="NAME", action="append",
                        help="use only this candidate source (repeatable): ocr, controls, template, a11y, icons")
    ground.add_argument("--screen", action="store_true", help="capture the live screen now instead of IMAGE")
    ground.add_argument("--region", metavar="X,Y,W,H", help="with --screen: only this region")
    ground.add_argument("--no-semantic", action="store_true", help="no MiniLM synonym matching")
    ground.add_argument("--model-dir", metavar="DIR",
                        help="with a vision-language --backend (owlv2, qwen2.5-vl): load the model from DIR")
    ground.add_argument("--device", default="auto", help="with a vision-language --backend: cpu, cuda, cuda:1 "
                                                         "(default: CUDA when available)")
    ground.add_argument("--dtype", default="auto", choices=("auto", "float32", "float16", "bfloat16"),
                        help="with a vision-language --backend (default: a half type on a GPU, float32 on the CPU)")
    models = sub.add_parser("models", help="list the vision-language models found on this machine",
                            description="List local checkpoints (the models folder in settings, then the "
                                        "Hugging Face cache), which backend runs each, and how to fetch "
                                        "missing ones on a connected machine. Never downloads.")
    models.add_argument("--models-dir", metavar="DIR", help="look here instead of the folder in settings")
    models.add_argument("--json", action="store_true", help="print one JSON object")
    transcribe = sub.add_parser("transcribe", help="print what the speech recognizer hears in a WAV file",
                                description="Recognise speech in a WAV file the way the app does (voice "
                                            "activity, then the offline recognizer), so speech can be tested "
                                            "without a microphone.")
    transcribe.add_argument("wav", help="a WAV file (any rate; mono or stereo PCM)")
    transcribe.add_argument("--screen", metavar="IMAGE", help="use the vocabulary of this screenshot")
    transcribe.add_argument("--overlay", metavar="N", type=int, help="as if N numbered targets were shown")
    transcribe.add_argument("--json", action="store_true", help="print one JSON object")
    adapt = sub.add_parser("adapt-voice", help="adapt the speech recognizer to your voice",
                           description="Adapt the offline recognizer to your voice from the confirmed voice "
                                       "commands kept on this computer (Settings: keep my voice commands), "
                                       "as Settings' \"Adapt to my voice now\" does. Nothing leaves the machine.")
    adapt.add_argument("--samples", metavar="DIR", help="recordings to use instead of the ones kept by the app")
    adapt.add_argument("--reset", action="store_true", help="remove the adaptation (the recognizer goes back "
                                                            "to its original model)")
    adapt.add_argument("--forget", action="store_true", help="delete the kept recordings (no adapting)")
    adapt.add_argument("--force", action="store_true", help="install the adaptation even when it did not help "
                                                            "on the commands held out to check it")
    adapt.add_argument("--json", action="store_true", help="print one JSON object")
    sub.add_parser("app", help="start the desktop app (the default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    if args.command in (None, "app"):
        from desktop.app import main as app_main

        return app_main([])
    if args.command == "ground":
        return _ground_command(args, parser)
    if args.command == "transcribe":
        return _transcribe_command(args)
    if args.command == "adapt-voice":
        from desktop.speech.cli import adapt_voice_command

        return adapt_voice_command(args.samples, reset=args.reset, forget=args.forget, as_json=args.json,
                                   force=args.force, out=sys.stdout)
    if args.command == "models":
        from desktop.grounding.vlm.cli import models_command

        return models_command(args.models_dir, as_json=args.json, out=sys.stdout)
    parser.error(f"unknown command {args.command!r}")
    return _EXIT_ERROR


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _ground_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from desktop.core.errors import ClickAssistError

    if args.jsonl:
        if args.image or args.instruction or args.screen:
            parser.error("--jsonl takes no IMAGE, INSTRUCTION or --screen")
        return _run_batch(args)
    if args.screen:
        if args.image and args.instruction:
            parser.error("--screen takes only INSTRUCTION, not IMAGE")
        instruction = args.instruction or args.image
        if not instruction:
            parser.error("--screen needs an INSTRUCTION")
    elif not (args.image and args.instruction):
        parser.error("ground needs IMAGE and INSTRUCTION (or --jsonl FILE, or --screen INSTRUCTION)")
    try:
        engine = _make_engine(args)
        if args.screen:
            payload = _ground_screen(engine, instruction, args)
        else:
            result = engine.ground(args.image, args.instruction, min_clicks=args.min_clicks,
                                   max_clicks=args.max_clicks, reference=args.reference)
            payload = _payload(args.image, result)
            if not result.predictions:
                print(result.message or "Nothing matched.", file=sys.stderr)
    except ClickAssistError as exc:
        logger.debug("ground failed", exc_info=True)
        print(f"click-assist: {exc.user_message}" + (f" {exc.hint}" if exc.hint else ""), file=sys.stderr)
        if args.json:
            case_id = "screen" if args.screen else args.image
            _emit({"id": case_id, "points": [], "error": exc.to_dict()}, sys.stdout)
        return _EXIT_ERROR
    if args.json:
        _emit(payload, sys.stdout)
    else:
        _print_human(payload, sys.stdout)
    return 0 if payload["points"] else _EXIT_NO_MATCH


def _transcribe_command(args: argparse.Namespace) -> int:
    """``click-assist transcribe WAV [--screen IMAGE] [--json]``: what the recognizer hears."""
    from desktop.core.errors import ClickAssistError
    from desktop.core.settings import load_settings
    from desktop.speech import make_recognizer
    from desktop.speech.capture import WavSource
    from desktop.speech.session import VoiceSession, screen_texts

    try:
        texts: list[str] = []
        if args.screen:
            from desktop.core.images import load_image
            from desktop.grounding.engine import Engine

            texts = screen_texts(Engine(), load_image(args.screen))
        # One request and exit: nothing would use what the recognizer learns of the voice.
        session = VoiceSession(make_recognizer(load_settings()), learn=False)
        heard = session.listen(texts, overlay_targets=args.overlay, source=WavSource(args.wav))
    except ClickAssistError as exc:
        logger.debug("transcribe failed", exc_info=True)
        print(f"click-assist: {exc.user_message}" + (f" {exc.hint}" if exc.hint else ""), file=sys.stderr)
        if args.json:
            _emit({"id": args.wav, "text": "", "error": exc.to_dict()}, sys.stdout)
        return _EXIT_ERROR
    t, u = heard.transcript, heard.utterance
    if args.json:
        _emit({"id": args.wav, "text": t.text, "recognizer": t.grammar if t.grammar == "whisper" else
               "pocketsphinx", "grammar": t.grammar, "fits": t.fits, "score": round(t.score, 5)
               if t.score > float("-inf") else None, "elapsed_ms": round(t.elapsed_ms, 1),
               "speech": [u.speech_start_s, u.speech_end_s], "notes": list(u.notes)}, sys.stdout)
    else:
        print(t.text)
        for note in u.notes:
            print(note, file=sys.stderr)
    return 0 if t.text else _EXIT_NO_MATCH


def _make_engine(args: argparse.Namespace) -> Any:
    from desktop.grounding.engine import Engine

    from desktop.grounding.vlm import BACKENDS

    if not set(args.backend or ()) & set(BACKENDS):
        return Engine(sources=args.backend, semantic=not args.no_semantic)
    from desktop.core.settings import load_settings
    from desktop.grounding.registry import create_source

    models_dir = load_settings().models_dir or None
    sources = [create_source(name, model_dir=args.model_dir, models_dir=models_dir, device=args.device,
                             dtype=args.dtype) for name in args.backend]
    return Engine(sources=sources, semantic=not args.no_semantic)


def _payload(case_id: Any, result: Any) -> dict[str, Any]:
    return {"id": case_id, "points": [p.to_dict() for p in result.predictions],
            "elapsed_ms": round(result.elapsed_ms, 1)}


def _ground_screen(engine: Any, instruction: str, args: argparse.Namespace) -> dict[str, Any]:
    """Live mode: capture now, ground, and report points in screen coordinates. Never clicks."""
    from desktop.capture import MssCapture

    capture = MssCapture()
    shot = capture.capture_region(_parse_region(args.region)) if args.region else capture.capture_all()
    result = engine.ground(shot.image, instruction, min_clicks=args.min_clicks,
                           max_clicks=args.max_clicks, reference=args.reference, mapping=shot.mapping)
    points = []
    for pred in result.predictions:
        point = pred.to_dict()
        point["x"], point["y"] = shot.mapping.to_screen(pred.x + 0.5, pred.y + 0.5)
        if pred.box is not None:
            point["box"] = shot.mapping.box_to_screen(pred.box).to_list()
        points.append(point)
    if not points:
        print(result.message or "Nothing matched.", file=sys.stderr)
    return {"id": "screen", "points": points, "elapsed_ms": round(result.elapsed_ms, 1)}


def _parse_region(text: str) -> Any:
    from desktop.core.errors import InvalidRegion
    from desktop.core.geometry import Box

    try:
        x, y, w, h = (int(v) for v in text.split(","))
    except ValueError:
        raise InvalidRegion(f"--region must be X,Y,W,H in whole pixels, not {text!r}.") from None
    if w <= 0 or h <= 0:
        raise InvalidRegion(f"--region {text!r} has zero or negative size.", "Give a width and height above 0.")
    return Box.from_xywh(x, y, w, h)


def _run_batch(args: argparse.Namespace) -> int:
    """One JSON line out per request line in; models load once; a bad line never stops the batch."""
    from desktop.core.errors import ClickAssistError

    try:
        engine = _make_engine(args)
        stream = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    except ClickAssistError as exc:
        print(f"click-assist: {exc.user_message} {exc.hint}".rstrip(), file=sys.stderr)
        return _EXIT_ERROR
    except OSError as exc:
        print(f"click-assist: cannot read {args.jsonl!r}: {exc.strerror or exc}", file=sys.stderr)
        return _EXIT_ERROR
    base = Path(args.jsonl).resolve().parent if args.jsonl != "-" else Path.cwd()
    failures = 0
    with stream:
        for line_no, request in _requests(stream):
            out = _ground_request(engine, request, line_no, base)
            failures += "error" in out
            _emit(out, sys.stdout)
    if failures:
        print(f"click-assist: {failures} request(s) failed; see their error objects", file=sys.stderr)
    return 0


def _requests(stream: TextIO) -> Iterator[tuple[int, Any]]:
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield line_no, json.loads(line)
        except json.JSONDecodeError as exc:
            yield line_no, exc


def _ground_request(engine: Any, request: Any, line_no: int, base: Path) -> dict[str, Any]:
    from desktop.core.errors import ClickAssistError

    case_id = request.get("id", f"line-{line_no}") if isinstance(request, dict) else f"line-{line_no}"
    try:
        image, instruction, kwargs = _validate_request(request, line_no, base)
        result = engine.ground(image, instruction, **kwargs)
        return _payload(case_id, result)
    except ClickAssistError as exc:
        return {"id": case_id, "points": [], "error": exc.to_dict()}
    except Exception as exc:  # one broken case must not end the batch
        logger.exception("case %s crashed", case_id)
        return {"id": case_id, "points": [], "error": {"code": "internal_error", "message": str(exc)}}


def _validate_request(request: Any, line_no: int, base: Path) -> tuple[str, str, dict[str, Any]]:
    from desktop.core.errors import InvalidInstruction

    class InvalidRequest(InvalidInstruction):
        code = "invalid_request"

    if isinstance(request, json.JSONDecodeError):
        raise InvalidRequest(f"line {line_no} is not valid JSON: {request.msg}.")
    if not isinstance(request, dict):
        raise InvalidRequest(f"line {line_no} must be a JSON object.")
    image, instruction = request.get("image"), request.get("instruction")
    if not isinstance(image, str) or not image:
        raise InvalidRequest(f"line {line_no} needs an \"image\" path.")
    if not isinstance(instruction, str):
        raise InvalidRequest(f"line {line_no} needs an \"instruction\" string.")
    kwargs: dict[str, Any] = {}
    for key in ("min_clicks", "max_clicks"):
        if request.get(key) is not None:
            kwargs[key] = request[key]
    if request.get("reference") is not None:
        if not isinstance(request["reference"], str):
            raise InvalidRequest(f"line {line_no}: \"reference\" must be a path.")
        kwargs["reference"] = _resolve_path(request["reference"], base)
    return _resolve_path(image, base), instruction, kwargs


def _resolve_path(path: str, base: Path) -> str:
    p = Path(path)
    return str(p if p.is_absolute() or p.exists() else base / p)


def _emit(obj: dict[str, Any], stream: TextIO) -> None:
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()


def _print_human(payload: dict[str, Any], stream: TextIO) -> None:
    points = payload["points"]
    if not points:
        stream.write("No match.\n")
        return
    for i, p in enumerate(points, start=1):
        stream.write(f"{i}. ({p['x']}, {p['y']})  {p['confidence']:.0%}  {p['action']}  "
                     f"{p['label']!r}  [{p['source']}]\n")
    stream.write(f"({payload['elapsed_ms']:.0f} ms)\n")
