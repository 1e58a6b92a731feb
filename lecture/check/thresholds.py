"""The gate's thresholds, in one place (lecture/check)."""

from __future__ import annotations

# Layout, in frame units (the frame is 8 units high; 1 px at 720p is 8/720 = 0.011 units).
FRAME_HEIGHT_UNITS = 8.0
SAFE_MARGIN = 0.05            # action-safe: of the frame's width (left, right) and height (top, bottom)
CAPTION_BAND = 0.15           # the bottom of the frame kept free for captions (scenes/theme.py CAPTION_BAND)
OVERLAP_TOLERANCE = 0.022     # two boxes overlap when they share more than ~2 px at 720p both ways
EDGE_TOLERANCE = 0.012        # a box set exactly on a reserved area's edge (~1 px at 720p) is not in it
MIN_X_HEIGHT_PX = 10.0        # a text's x-height at 720p

# Ink in the reserved areas (reserved.py), on every frame: a pixel differs from the background by
# more than INK_LEVEL (of 255) in some plane; an area has ink with at least INK_MIN_PIXELS of them.
INK_LEVEL = 24
INK_MIN_PIXELS = 4

# Stillness, on the published clips' frames.
MAX_STILL_S = 6.0             # a stretch longer than this with nothing changing on screen
STILL_SAMPLES_PER_S = 5       # frames compared a second
STILL_SCALE = 4               # frames compared at 1/4 size (gray)
STILL_LEVEL = 8               # a change: some pixel moves by more than this (of 255)

# Video.
KEYFRAME_TOLERANCE_FRAMES = 0.5  # a chapter's keyframe within half a frame of its start
