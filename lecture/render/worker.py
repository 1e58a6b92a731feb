"""Render one scene in its own process: ``python -m lecture.render.worker --scene ID ...``.

Run by lecture/render/pipeline.py, one process per scene, with stdout and stderr going to the
scene's log file. The worker renders the scene through manim into ``WORK/media`` (manim
config set in-process: size, frame rate, H.264 settings from lecture/encoding.py), then
makes the scene's published files in ``WORK/out``:

  clip.mp4 (faststart remux, no re-encoding), clip.webm (VP9, encoded from the frames while
  they render: start_webm), poster.png, captions.srt,
  captions.vtt (each narration beat split into subtitle cues: lecture/captions.py),
  frames/<key>.png (each beat's last frame: lecture/present/beats.py),

and last ``WORK/result.json`` (measured size, frame rate, frames, cues, the beats, and under
``check`` what the pre-publish gate reads: the beats, what was on screen at the end of each
beat, the numbers shown with mathcore's values), whose presence tells the parent the scene
succeeded.

Test hook: NLL_LECTURE_FAIL_SCENE=<id>[,<id>...] makes those scenes raise inside
``construct`` (to test failure handling without editing a scene). Not for normal use.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import signal
import sys
import time
from pathlib import Path

from .. import texbatch, texcache
from .protocol import PARENT_ENV, TEX_CACHE_ENV, SceneRequest, SceneResult  # noqa: F401  (the names, handed on)

FAIL_SCENE_ENV = "NLL_LECTURE_FAIL_SCENE"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the render process dies (e.g. kill -9)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    expected = os.environ.get(PARENT_ENV)
    if expected and os.getppid() != int(expected):
        sys.exit(3)  # the parent died before prctl took effect


def _scene_class(spec):
    module = importlib.import_module(spec.import_path)
    cls = getattr(module, spec.scene_class)
    failing = {s.strip() for s in os.environ.get(FAIL_SCENE_ENV, "").split(",") if s.strip()}
    if spec.id in failing:
        def construct(self) -> None:
            raise RuntimeError(f"{FAIL_SCENE_ENV}={spec.id}: this scene was made to fail (test hook)")

        cls = type(cls.__name__, (cls,), {"construct": construct, "__module__": cls.__module__})
    return cls


def _plain_logging() -> None:
    """manim logs through rich: a timestamp on every line and paths wrapped at 80 columns.
    Log plain lines instead (level and message, nothing that changes from run to run but
    the paths, which the publisher makes relative), so a scene's published log is the same
    bytes for the same inputs."""
    import logging

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # "Writing <tex> to <file>.tex" comes only on a TeX cache miss: it would make the log
    # depend on what earlier renders left in the shared TeX cache.
    handler.addFilter(lambda record: not (record.getMessage().startswith("Writing ")
                                          and record.getMessage().endswith(".tex")))
    for logger in (logging.getLogger("manim"), logging.getLogger()):
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)


def configure(width: int, height: int, fps: int, media_dir: Path) -> None:
    """manim's config and patches for a render: size, rate, the encoder settings of
    lecture/encoding.py and the frame-encoding patch (also used by tests to encode a clip
    the way a scene is encoded)."""
    from manim import config

    from .. import encoding

    config.media_dir = str(media_dir)
    config.pixel_width, config.pixel_height, config.frame_rate = width, height, fps
    config.format = "mp4"
    config.video_codec = encoding.H264_CODEC
    config.pixel_format = encoding.H264_PIXEL_FORMAT
    config.video_encoder_options = {**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS}
    config.max_inflight_encoders = encoding.MAX_INFLIGHT_ENCODERS
    config.encoder_queue_size = encoding.ENCODER_QUEUE_SIZE
    from scenes import manim_patches

    manim_patches.install(hold_options=encoding.H264_HOLD_OPTIONS)  # every patch, once: scenes/manim_patches.py
    config.disable_caching = True  # fresh media dir per render: segment hashing buys nothing
    config.progress_bar = "none"
    config.verbosity = "INFO"
    config.preview = False


def render(spec, width: int, height: int, fps: int, media_dir: Path, tex_cache: Path | None = None):
    """Render one scene with manim; return (movie path, [(start_s, end_s, text)] of its
    narration beats, the scene's check record, the beats with ids and frames). ``tex_cache``:
    the TeX SVGs shared between scenes and renders (the request's)."""
    from manim import config

    _plain_logging()
    configure(width, height, fps, media_dir)

    # LaTeX is slow; its SVGs are shared between scenes and renders through a cache folder.
    tex_dir = media_dir / "Tex"
    seeded = texcache.seed(tex_cache, tex_dir), texcache.seed(texcache.user_cache(), tex_dir)
    config.tex_dir = str(tex_dir)
    scene_class = _scene_class(spec)
    # every formula the scene sets and the caches lack, compiled in one LuaLaTeX run
    # (lecture/texbatch.py): a first pass over the scene notes them, drawing nothing
    texbatch.prefetch(scene_class)

    from ..present import beats as present_beats
    from ..voice import render_hook

    session = render_hook.open_session()  # --voice: each narration beat gets its voice and lasts as long
    provider = session.provide if session is not None else present_beats.silent_provider  # silent: beats noted
    scene = scene_class()
    webm = start_webm(media_dir / "clip.webm", width, height, fps, scene, provider, session)
    try:
        scene.render()
    except BaseException:
        webm.abandon()
        raise
    finally:
        from scenes import hooks

        hooks.current().frame_sink = None
    webm.close()
    render_hook.after_render(scene)
    texcache.share(tex_cache, tex_dir, seeded[0])  # OUT's cache gets every SVG it lacks
    texcache.share(texcache.user_cache(), tex_dir, seeded[1])
    writer = scene.renderer.file_writer
    movie = Path(writer.movie_file_path)
    if not movie.is_file():
        raise RuntimeError(f"manim wrote no video for {spec.scene_class} (no animations?)")
    cues = [(sub.start.total_seconds(), sub.end.total_seconds(), sub.content) for sub in writer.subcaptions]
    return movie, cues, scene_record(scene), present_beats.collect(scene, cues, fps), webm


def start_webm(path: Path, width: int, height: int, fps: int, scene, provider=None, session=None):
    """The scene's VP9 WebM, encoded from the frames as they are rendered (lecture/media.py
    WebmWriter): every segment encoder made from now on feeds it, and each narration beat,
    as it starts, makes its first frame a keyframe, then gets its voice from ``provider``
    (None: silent). Sets the scene's hooks (scenes/hooks.py) in one call: that provider, the
    WebM as the frame sink and the voice ``session``. Call before ``scene.render()``."""
    from scenes import hooks

    from .. import media

    from ..check.reserved import InkMeter
    from ..check.stillness import StillnessMeter

    # the gate's stillness and reserved-area measures, on the frames as they are encoded
    # (lecture/check/stillness.py, reserved.py)
    webm = media.WebmWriter(path, width, height, fps,
                            watchers=[StillnessMeter(fps, width, height), InkMeter(fps, width, height)])

    def beat_starts(beat_id, text, lang):
        webm.keyframe(round(scene.time * fps))  # the beat's first frame, as present_beats.collect counts it
        return provider(beat_id, text, lang) if provider is not None else None

    hooks.install(hooks.Hooks(voice_provider=beat_starts, frame_sink=webm, session=session))
    return webm


def scene_record(scene) -> dict:
    """What the pre-publish gate (lecture/check) reads of a rendered scene: the layout at
    each beat's end and every number it showed with mathcore's value for it."""
    from ..check.numbers import number_records
    from ..check.story import story_record

    return {
        "title": scene.word("title"),  # in the data's story (scene 9's heading names the data)
        "story": story_record(scene.data, scene.lang),
        "layout": list(getattr(scene, "layout_beats", [])),
        "numbers": number_records(scene.scene_id, getattr(scene, "shown_numbers", {}),
                                  getattr(scene, "shown_tolerances", {}), scene.data, scene.results),
    }


def finish(movie: Path, raw_cues, out: Path, record: dict | None = None, narration=(), webm=None) -> dict:
    """Make the scene's published files from manim's movie; return what was measured.

    ``narration``: the scene's beats (lecture/present/beats.py). manim encodes each animation
    as its own H.264 segment, so every beat (which starts with an animation) starts on a
    keyframe of clip.mp4; clip.webm gets one there by force, and each beat's last frame is
    saved as ``frames/<key>.png``. ``webm``: the closed WebmWriter of the render
    (:func:`start_webm`), whose file and choice of poster are used when it forced every
    beat's keyframe (the stills and poster are then decoded from clip.mp4 where they are);
    else (or without one) the WebM, poster and stills come from decoding all of clip.mp4."""
    from scenes.text import current_language

    from .. import captions, encoding, media
    from ..present import beats as present_beats

    out.mkdir(parents=True, exist_ok=True)
    clip = out / "clip.mp4"
    media.remux(movie, clip, encoding.MP4_MUXER_OPTIONS)
    info = media.probe(clip)
    (out / present_beats.FRAMES_DIR).mkdir(exist_ok=True)
    stills = {i: out / present_beats.FRAMES_DIR / name for i, name in present_beats.stills(narration).items()}
    keyframes = present_beats.keyframes(narration)
    if webm is not None and keyframes <= webm.forced_keyframes and webm.poster_index >= 0:
        os.replace(webm.path, out / "clip.webm")  # a new file: never written through a link
        media.save_frames(clip, stills, (webm.poster_index, out / "poster.png"))
        poster = {"poster_time_s": round(webm.poster_index / float(info.fps), 3), "poster_score": round(webm.poster_score, 4)}
        print("worker: clip.webm encoded from the rendered frames", flush=True)
    else:
        poster = media.transcode_vp9_with_poster(clip, out / "clip.webm", out / "poster.png", keyframes, stills)
        print("worker: clip.webm transcoded from clip.mp4 (the frames' encoder did not force every beat's keyframe)",
              flush=True)
    webm_info = media.probe(out / "clip.webm")
    if webm_info.frames != info.frames:
        raise media.MediaError(f"the WebM has {webm_info.frames} frames, the MP4 {info.frames}")
    record = dict(record or {})
    for meter in getattr(webm, "watchers", ()):  # the gate's measures on every frame of the clip
        if meter.failed is None and meter.frames == info.frames:
            record[getattr(meter, "RECORD_KEY", "stillness")] = meter.record()
    beats = captions.clamp_cues(raw_cues, float(info.duration))
    units = ((record or {}).get("story") or {}).get("units") or ()  # the data's unit and counter
    cues = captions.split_beats(beats, captions.rules_for(current_language()), units)
    (out / "captions.srt").write_text(captions.to_srt(cues), encoding="utf-8")
    (out / "captions.vtt").write_text(captions.to_vtt(cues), encoding="utf-8")
    return {
        "video": info.as_dict(),
        "codecs": media.h264_codecs_string(clip),
        "cues": [[c.start_ms, c.end_ms, c.text] for c in cues],
        "beats": list(narration),
        "check": {"beats": [[b.start_ms, b.end_ms, b.text] for b in beats], **record},
        **poster,
    }


def main(argv: list[str] | None = None) -> int:
    request = SceneRequest.from_environ(argv)
    _die_with_parent()

    from scenes import SCENES_BY_ID

    spec = SCENES_BY_ID[request.scene]
    width, height, fps = request.preset
    print(f"worker: scene {spec.index:02d} {spec.id} ({spec.scene_class}), {width}x{height}@{fps}, "
          f"lang={request.lang}, data={request.data_file or 'built-in'}", flush=True)
    started = time.monotonic()
    movie, cues, record, narration, webm = render(spec, width, height, fps, request.work / "media", request.tex_cache)
    rendered = time.monotonic()
    result = finish(movie, cues, request.work / "out", record, narration, webm)
    from ..voice import render_hook

    voice = render_hook.finish(request.work / "out", result["video"]["duration_s"])  # audio into the clips
    if voice is not None:
        result["voice"] = voice
    from ..check.video import colour_tags

    # the gate's colour-tag check reads these (cached with the scene) instead of the files
    result["check"]["video"] = {name: colour_tags(request.work / "out" / name) for name in ("clip.mp4", "clip.webm")}
    result["seconds"] = {"render": round(rendered - started, 2), "encode": round(time.monotonic() - rendered, 2)}
    SceneResult.from_dict(result).to_file(request.result_file)
    print("worker: done", flush=True)  # no times in the log: it is published, and must not change
    return 0


if __name__ == "__main__":
    from ..voice.render_hook import exit_2_on_voice_error

    sys.exit(exit_2_on_voice_error(main))  # bad voice input: exit 2, one line for the render
