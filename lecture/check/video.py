"""Video: colour tags present and the same in every published video; a keyframe at every
chapter start of the joined lecture."""

from __future__ import annotations

from pathlib import Path

from . import thresholds as T

__all__ = ["colour_tags", "keyframe_times", "missing_keyframes", "recorded_colour_tags", "tag_problems"]

UNSPECIFIED = 2  # ISO/IEC 23091-2: primaries, transfer and matrix "unspecified"


def colour_tags(path: Path) -> tuple[int, int, int]:
    """(primaries, transfer, matrix) of the first video stream, as ISO/IEC 23091-2 codes."""
    import av

    with av.open(str(path)) as container:
        cc = container.streams.video[0].codec_context
        return int(cc.color_primaries), int(cc.color_trc), int(cc.colorspace)


def recorded_colour_tags(record: object) -> dict[str, tuple[int, int, int]] | None:
    """The colour tags a render worker read from a scene's files (``{"clip.mp4": (p, t, m),
    ...}`` under ``video`` in its check record), or None."""
    video = record.get("video") if isinstance(record, dict) else None
    if not isinstance(video, dict):
        return None
    try:
        return {name: (int(p), int(t), int(m)) for name, (p, t, m) in video.items()}
    except (TypeError, ValueError):
        return None


def _tag_names(tags: tuple[int, int, int]) -> str:
    return "/".join("unspecified" if t == UNSPECIFIED else str(t) for t in tags)


def tag_problems(tags: dict[str, tuple[int, int, int]]) -> list[tuple[str, str]]:
    """(file, message) for every video without colour tags, or with tags unlike the others'."""
    problems = []
    for rel, found in tags.items():
        missing = [name for name, t in zip(("primaries", "transfer", "matrix"), found) if t == UNSPECIFIED]
        if missing:
            problems.append((rel, f"colour tags missing ({', '.join(missing)} unspecified)"))
    tagged = {rel: t for rel, t in tags.items() if UNSPECIFIED not in t}
    if tagged:
        first_rel, first = next(iter(tagged.items()))
        for rel, found in tagged.items():
            if found != first:
                problems.append((rel, f"colour tags {_tag_names(found)} differ from {first_rel}'s {_tag_names(first)}"))
    return problems


def keyframe_times(path: Path) -> tuple[list[float], float]:
    """The times of the keyframes of a file's video stream, and its frame rate."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 30)
        times = [float(p.pts * p.time_base) for p in container.demux(stream)
                 if p.pts is not None and p.is_keyframe]
    return sorted(times), fps


def missing_keyframes(keyframes: list[float], fps: float, starts: list[float]) -> list[float]:
    """The chapter starts with no keyframe within ``KEYFRAME_TOLERANCE_FRAMES`` of them."""
    tolerance = T.KEYFRAME_TOLERANCE_FRAMES / fps
    return [s for s in starts if not any(abs(k - s) <= tolerance for k in keyframes)]
