"""Repeats of a held picture as ready-made H.264 frames: P slices whose macroblocks are all
skipped (scenes/manim_patches.py patch 6 writes a held picture's repeats with them).

A P macroblock that is skipped copies the co-located block of the previous frame (ref_idx 0,
motion vector predicted as zero when every neighbour is skipped too) with no residual and no
deblocking across it, so a frame of skipped macroblocks decodes to exactly the previous
picture. Such a frame is not written bit by bit here: libx264 itself writes one, with the
very sequence and picture parameter sets of the segment it joins (same options, same size),
when it encodes two flat frames (a flat picture is coded exactly by the IDR, so the second
frame has nothing left to code). Each repeat of a hold is that packet with the two slice
header fields that number the frame rewritten: ``frame_num`` (u(v), log2_max_frame_num bits)
and, with POC type 0 (libx264 with B-frames), ``pic_order_cnt_lsb``; both are fixed-width, so
the slice header keeps its length and the CABAC data that follows its byte alignment stays
bit for bit as libx264 wrote it. Emulation prevention bytes are taken out before the edit
and put back after it.

Pure bitstream code plus one small libx264 encode per (size, options); no manim.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

__all__ = ["SkipFrames", "escape", "parse_sps", "skip_frames", "split_annexb", "unescape"]


class _Bits:
    """A big-endian bit reader over RBSP bytes (Exp-Golomb as H.264 7.2 reads it)."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def u(self, n: int) -> int:
        value = 0
        for _ in range(n):
            byte = self.data[self.pos >> 3]
            value = (value << 1) | ((byte >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise ValueError("bad Exp-Golomb code")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


def unescape(ebsp: bytes) -> bytes:
    """A NAL unit's payload without its emulation prevention bytes (00 00 03 -> 00 00).

    >>> unescape(bytes([0, 0, 3, 1, 5]))
    b'\\x00\\x00\\x01\\x05'
    """
    out = bytearray()
    zeros = 0
    for byte in ebsp:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def escape(rbsp: bytes) -> bytes:
    """Emulation prevention bytes put back: 03 after two zeros when the next byte is <= 3.

    >>> escape(bytes([0, 0, 1, 5])).hex()
    '0000030105'
    """
    out = bytearray()
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


_START = re.compile(b"\x00\x00\x01")


def split_annexb(data: bytes) -> list[tuple[bytes, bytes]]:
    """An Annex B byte stream as (start code, NAL unit) pairs (start codes kept as written)."""
    starts = [m.start() for m in _START.finditer(data)]
    units = []
    for i, s in enumerate(starts):
        begin = s - 1 if s > 0 and data[s - 1] == 0 else s
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        if i + 1 < len(starts) and data[end - 1] == 0:
            end -= 1  # the next unit's four-byte start code
        units.append((data[begin:s + 3], data[s + 3:end]))
    return units


@dataclass(frozen=True)
class Sps:
    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int  # 0 unless poc_type == 0
    frame_mbs_only: bool


def parse_sps(nal: bytes) -> Sps:
    """The fields of a sequence parameter set NAL unit that number a frame."""
    bits = _Bits(unescape(nal[1:]))
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    if profile in (100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135):
        if bits.ue() == 3:  # chroma_format_idc
            bits.u(1)
        bits.ue()
        bits.ue()  # bit depths
        bits.u(1)
        if bits.u(1):
            raise ValueError("an SPS with scaling matrices is not read here")
    log2_max_frame_num = bits.ue() + 4
    poc_type = bits.ue()
    log2_max_poc_lsb = 0
    if poc_type == 0:
        log2_max_poc_lsb = bits.ue() + 4
    elif poc_type == 1:
        raise ValueError("POC type 1 is not handled")
    bits.ue()  # max_num_ref_frames
    bits.u(1)  # gaps_in_frame_num_value_allowed_flag
    bits.ue()
    bits.ue()  # picture size in macroblocks
    frame_mbs_only = bool(bits.u(1))
    return Sps(log2_max_frame_num, poc_type, log2_max_poc_lsb, frame_mbs_only)


def _pps_bottom_field_poc(nal: bytes) -> bool:
    bits = _Bits(unescape(nal[1:]))
    bits.ue()
    bits.ue()  # pps and sps ids
    bits.u(1)  # entropy_coding_mode_flag
    return bool(bits.u(1))  # bottom_field_pic_order_in_frame_present_flag


def _set_bits(data: bytearray, pos: int, n: int, value: int) -> None:
    for i in range(n):
        bit = (value >> (n - 1 - i)) & 1
        byte, shift = (pos + i) >> 3, 7 - ((pos + i) & 7)
        data[byte] = (data[byte] & ~(1 << shift)) | (bit << shift)


class SkipFrames:
    """Numbered copies of one all-skip P frame (Annex B bytes, as libx264 gives them)."""

    def __init__(self, extradata: bytes, packet: bytes) -> None:
        units = split_annexb(extradata)
        sps = [nal for _start, nal in units if nal and nal[0] & 0x1F == 7]
        pps = [nal for _start, nal in units if nal and nal[0] & 0x1F == 8]
        if len(sps) != 1 or len(pps) != 1:
            raise ValueError("the stream's parameters are not one SPS and one PPS")
        self.sps = parse_sps(sps[0])
        if not self.sps.frame_mbs_only or self.sps.poc_type not in (0, 2) or _pps_bottom_field_poc(pps[0]):
            raise ValueError("field coding or a POC layout that is not handled")
        self._slices = []  # (start code, header byte, rbsp, frame_num bit position)
        for start, nal in split_annexb(packet):
            if not nal:
                continue
            kind, ref_idc = nal[0] & 0x1F, nal[0] >> 5
            if kind != 1:
                raise ValueError(f"the skip frame holds a NAL unit of type {kind}")
            rbsp = unescape(nal[1:])
            bits = _Bits(rbsp)
            bits.ue()  # first_mb_in_slice
            if bits.ue() % 5 != 0:  # slice_type P
                raise ValueError("the skip frame is not a P slice")
            bits.ue()  # pic_parameter_set_id
            if ref_idc == 0:
                raise ValueError("the skip frame is not a reference frame")
            self._slices.append((start, nal[:1], rbsp, bits.pos))
        if not self._slices:
            raise ValueError("the skip frame has no slices")
        self._cache: dict[int, bytes] = {}

    @property
    def period(self) -> int:
        """Frames after which the numbering (and so the packet) repeats."""
        n = 1 << self.sps.log2_max_frame_num
        if self.sps.poc_type == 0:
            n = max(n, 1 << (self.sps.log2_max_poc_lsb - 1))
        return n

    def frame(self, index: int) -> bytes:
        """The packet of the ``index``-th frame after an IDR (its frame 0) when every frame
        before it is a reference frame in display order: ``frame_num = index`` and POC
        ``2 * index`` (libx264's numbering), each modulo its field's range."""
        key = index % self.period
        packet = self._cache.get(key)
        if packet is None:
            parts = []
            for start, head, rbsp, pos in self._slices:
                data = bytearray(rbsp)
                _set_bits(data, pos, self.sps.log2_max_frame_num, index % (1 << self.sps.log2_max_frame_num))
                if self.sps.poc_type == 0:
                    _set_bits(data, pos + self.sps.log2_max_frame_num, self.sps.log2_max_poc_lsb,
                              (2 * index) % (1 << self.sps.log2_max_poc_lsb))
                parts.append(start + head + escape(bytes(data)))
            packet = self._cache[key] = b"".join(parts)
        return packet


_TEMPLATES: dict[tuple, SkipFrames | None] = {}
_LOCK = threading.Lock()


_COPIED = ("width", "height", "pix_fmt", "framerate", "time_base", "flags", "colorspace", "color_primaries",
           "color_trc", "color_range")


def skip_frames(context, options: dict[str, str]) -> SkipFrames | None:
    """The all-skip P frames of the libx264 stream of ``context`` (an open encoder, opened
    with ``options``: PyAV consumes them as the encoder opens), or
    ``None`` when libx264 with the same settings does not write the very same parameter
    sets (extradata) or does not give a frame that can be renumbered."""
    if context.name != "libx264" or context.pix_fmt != "yuv420p" or not context.extradata:
        return None
    settings = tuple((name, getattr(context, name)) for name in _COPIED)
    extradata = bytes(context.extradata)
    key = (settings, tuple(sorted(options.items())), extradata)
    with _LOCK:
        if key in _TEMPLATES:
            return _TEMPLATES[key]
    template = _make(dict(settings), dict(options), extradata)
    with _LOCK:
        _TEMPLATES[key] = template
    return template


def _make(settings: dict, options: dict[str, str], extradata: bytes) -> SkipFrames | None:
    import av
    import numpy as np

    context = av.CodecContext.create("libx264", "w")
    for name, value in settings.items():
        setattr(context, name, value)
    context.options = options
    width, height = settings["width"], settings["height"]
    planes = np.zeros((height * 3 // 2, width), np.uint8)  # flat: Y 0, Cb = Cr = 128
    planes[height:] = 128
    packets = []
    for pts in range(2):
        frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        frame.pts = pts
        packets += context.encode(frame)
    packets += context.encode(None)
    if bytes(context.extradata or b"") != extradata or len(packets) != 2:
        return None
    try:
        return SkipFrames(extradata, bytes(packets[1]))
    except ValueError:
        return None
