"""VP9 frame headers, as far as the WebM writer needs them to repeat a picture without
encoding it again (lecture/media.py WebmWriter).

A VP9 decoder keeps eight reference slots. Every coded frame says in its uncompressed header
(VP9 bitstream specification, 6.2 ``uncompressed_header``) which slots it refreshes with its
picture (a keyframe: all eight), and a frame with ``show_existing_frame = 1`` decodes nothing:
the decoder outputs the picture in slot ``frame_to_show_map_idx`` again, refreshes no slot and
leaves every other state (probability contexts, previous motion vectors, sizes) as it was, so
the frames after it decode as if it were not there. Such a frame is one byte (profiles 0-2).

:class:`ReferenceSlots` follows an encoder's packets (superframes included) and says which
slot holds the picture shown last, if any does; :func:`show_existing_frame` writes the
one-byte frame that shows it again. Pure Python: no PyAV.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import LectureError

__all__ = ["FrameHeader", "ReferenceSlots", "Vp9Error", "parse_header", "show_existing_frame", "split_superframe"]

SYNC_CODE = 0x498342
CS_RGB = 7


class Vp9Error(LectureError, ValueError):
    """Bytes that are not a VP9 frame this module reads (the WebM writer then lets libvpx
    encode every repeat; never shown to a user as it is)."""


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def u(self, n: int) -> int:
        value = 0
        for _ in range(n):
            if self.pos >> 3 >= len(self.data):
                raise Vp9Error("the frame header ends early")
            value = (value << 1) | ((self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return value


@dataclass(frozen=True)
class FrameHeader:
    """The fields of a frame's uncompressed header that decide what the decoder shows and keeps."""

    profile: int
    show_existing_frame: bool
    frame_to_show_map_idx: int  # the slot shown again (show_existing_frame only)
    key_frame: bool
    show_frame: bool
    refresh_frame_flags: int  # bit i set: slot i gets this frame's picture


def split_superframe(data: bytes) -> list[bytes]:
    """The frames of a packet: one, or those of a superframe (spec, Annex B: an index at the
    end, marker byte ``0b110mmfff`` at both of its ends).

    >>> split_superframe(bytes([0x86, 1, 2]))
    [b'\\x86\\x01\\x02']
    >>> split_superframe(bytes([0x86, 1, 0x88, 0xc1, 2, 1, 0xc1]))
    [b'\\x86\\x01', b'\\x88']
    """
    if not data:
        raise Vp9Error("an empty packet")
    marker = data[-1]
    if marker & 0xE0 == 0xC0:
        frames = (marker & 7) + 1
        size_bytes = ((marker >> 3) & 3) + 1
        index_size = 2 + size_bytes * frames
        if len(data) >= index_size and data[-index_size] == marker:
            out, offset, at = [], 0, len(data) - index_size + 1
            for _ in range(frames):
                size = int.from_bytes(data[at:at + size_bytes], "little")
                at += size_bytes
                if size == 0 or offset + size > len(data) - index_size:
                    raise Vp9Error("a superframe index that does not fit its packet")
                out.append(data[offset:offset + size])
                offset += size
            return out
    return [data]


def parse_header(frame: bytes) -> FrameHeader:
    """The start of a frame's uncompressed header, up to ``refresh_frame_flags``.

    >>> parse_header(bytes([0x86, 0x00, 0x40]))  # an inter frame refreshing slot 0
    FrameHeader(profile=0, show_existing_frame=False, frame_to_show_map_idx=0, key_frame=False, show_frame=True, refresh_frame_flags=1)
    >>> parse_header(show_existing_frame(0, 5)).frame_to_show_map_idx
    5
    """
    bits = _Bits(frame)
    if bits.u(2) != 2:
        raise Vp9Error("no VP9 frame marker")
    low = bits.u(1)
    profile = (bits.u(1) << 1) | low
    if profile == 3 and bits.u(1):
        raise Vp9Error("a reserved bit is set")
    if bits.u(1):  # show_existing_frame
        return FrameHeader(profile, True, bits.u(3), False, True, 0)
    key_frame = bits.u(1) == 0
    show_frame = bool(bits.u(1))
    error_resilient = bits.u(1)
    if key_frame:
        if bits.u(24) != SYNC_CODE:
            raise Vp9Error("a keyframe without its sync code")
        return FrameHeader(profile, False, 0, True, show_frame, 0xFF)
    intra_only = bits.u(1) if not show_frame else 0
    if not error_resilient:
        bits.u(2)  # reset_frame_context
    if intra_only:
        if bits.u(24) != SYNC_CODE:
            raise Vp9Error("an intra-only frame without its sync code")
        if profile > 0:  # color_config
            if profile >= 2:
                bits.u(1)  # ten_or_twelve_bit
            if bits.u(3) != CS_RGB:
                bits.u(1)  # color_range
                if profile in (1, 3):
                    bits.u(3)  # subsampling_x, subsampling_y, reserved_zero
            elif profile in (1, 3):
                bits.u(1)  # reserved_zero
    return FrameHeader(profile, False, 0, False, show_frame, bits.u(8))


def show_existing_frame(profile: int, slot: int) -> bytes:
    """The frame that shows the picture of reference slot ``slot`` again: frame_marker 2,
    the profile's two bits (and a reserved 0 bit for profile 3), show_existing_frame 1,
    frame_to_show_map_idx, padded with zero bits to a whole byte.

    >>> show_existing_frame(0, 0).hex(), show_existing_frame(0, 7).hex(), show_existing_frame(2, 1).hex()
    ('88', '8f', '99')
    """
    if not 0 <= slot < 8 or not 0 <= profile <= 3:
        raise Vp9Error(f"no slot {slot} / profile {profile}")
    fields = [(2, 2), (1, profile & 1), (1, profile >> 1)]
    if profile == 3:
        fields.append((1, 0))
    fields += [(1, 1), (3, slot)]
    value, length = 0, 0
    for width, field in fields:
        value, length = (value << width) | field, length + width
    pad = -length % 8
    return (value << pad).to_bytes((length + pad) // 8, "big")


class ReferenceSlots:
    """The pictures a decoder holds in its eight slots, followed frame by frame from the
    packets of a stream as it is written (a keyframe fills all eight, so the same holds
    after a seek to any keyframe): which slot, if any, holds the picture shown last."""

    def __init__(self) -> None:
        self._slots: list[int | None] = [None] * 8
        self._decoded = 0
        self.shown: int | None = None  # number of the picture shown last (1, 2, ... in decoding order)
        self.profile: int | None = None

    def add(self, packet: bytes) -> None:
        """A packet of the stream, in decoding order."""
        for frame in split_superframe(packet):
            header = parse_header(frame)
            if self.profile is None:
                self.profile = header.profile
            elif header.profile != self.profile:
                raise Vp9Error(f"profile {header.profile} after profile {self.profile}")
            if header.show_existing_frame:
                picture = self._slots[header.frame_to_show_map_idx]
                if picture is None:
                    raise Vp9Error(f"slot {header.frame_to_show_map_idx} shown before it holds a picture")
                self.shown = picture
                continue
            self._decoded += 1
            for slot in range(8):
                if header.refresh_frame_flags >> slot & 1:
                    self._slots[slot] = self._decoded
            if header.show_frame:
                self.shown = self._decoded

    def slot_of_shown(self) -> int | None:
        """The lowest slot holding the picture shown last; None when no slot holds it."""
        if self.shown is None:
            return None
        for slot, picture in enumerate(self._slots):
            if picture == self.shown:
                return slot
        return None
