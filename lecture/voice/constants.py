"""The numbers voice preparation works to (light: imported by the cache keys, no numpy/av)."""

RATE = 48000             # Hz: every prepared voice, every audio track
TARGET_LUFS = -16.0      # integrated loudness of every voice (ITU-R BS.1770, pyloudnorm)
PEAK_DBFS = -1.0         # no sample above this
SILENCE_DB = -45.0       # a 10 ms window this far below the loudest one is silence
TRIM_MARGIN_S = 0.05     # kept before the first and after the last loud window
TRIM_WINDOW_S = 0.01
MAX_BEAT_S = 60.0        # the longest a beat's voice may last (after trimming)
