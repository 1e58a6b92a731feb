"""The output folder: its lock, staging areas and the per-entry atomic swap.

Beside OUT lives a hidden work area ``.<name>.render/`` holding
  - ``lock``: an ``fcntl.flock`` lock, so two renders into one OUT never interleave (the
    kernel releases it when the holding process dies, however it dies);
  - ``run-<pid>-<token>/``: one render's ``work/`` (per-scene manim media) and ``logs/``.

OUT itself is never replaced, so it keeps its inode, mode, owner, group, setgid bit, and
everything in it the render does not own (see :data:`OWNED`); it may be a mount point. The
next version of the entries the render owns is built in a stage *inside* OUT (on OUT's file
system: renames cannot cross file systems), ``OUT/.nll-lecture-staging/<run>/tree/``, and
only while publishing. :func:`swap_into_place` then puts each owned top-level entry in
place with one atomic ``renameat2(RENAME_EXCHANGE)`` (a file or a whole folder such as
``clips/`` at a time), the state file last. Before the first exchange a journal names every
step (the inode of each new and old entry); a run that dies mid-way is rolled forward by
the next run (:func:`clean_stale_runs`); a step that fails is undone in this run, so OUT is
left as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import secrets
import shutil
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EXIT_BAD_INPUT, LectureError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

# The hidden folder inside OUT where a run builds the next owned entries while publishing.
STAGING = ".nll-lecture-staging"
# Top-level entries of OUT the render owns (replaced whole when publishing; any other entry of
# OUT is the user's and is never touched). Whatever the render writes at the top level of its
# tree is owned too. Swapped in this order: the state file last.
OWNED = ("clips", "posters", "captions", "frames", "logs", "lecture.mp4", "lecture.webm", "lecture.vtt",
         "lecture.srt", "chapters.vtt", "chapters.txt", "explore.html", "index.html", "present.html", "handout.pdf", "manifest.json",
         ".nll-lecture-state.json")
JOURNAL = "journal.json"


class LockBusy(LectureError, RuntimeError):
    """Another render holds the output folder's lock (only when not waiting)."""


class UntrustedEntry(LectureError, RuntimeError):
    """A name the render owns beside or inside OUT is not what the render made (a symbolic
    link, a file where a folder belongs): refused in one line, nothing is touched."""

    exit_status = EXIT_BAD_INPUT


# Folders of the work area the render writes into (besides its run-* folders and the lock).
AREA_FOLDERS = ("tex-cache", "voice-cache")


def _is_real_dir(path: Path) -> bool:
    """A folder, not a symbolic link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def check_work_area(out: Path) -> None:
    """Refuse (:class:`UntrustedEntry`) a work area beside OUT, or one of its folders, that
    is a symbolic link or not a folder: the render would write and delete through it."""
    area = work_area(out)
    for path in (area, *(area / name for name in AREA_FOLDERS), area / "lock"):
        if not os.path.lexists(path):
            continue
        if os.path.islink(path) or (path.name != "lock" and not path.is_dir()) or (
                path.name == "lock" and not _is_regular(path)):
            what = "a symbolic link" if os.path.islink(path) else "not what nll-lecture render makes there"
            raise UntrustedEntry(f"{path} is {what}; remove it (the render never writes through it)")


def work_area(out: Path) -> Path:
    """The hidden folder beside OUT that holds the lock and the runs' work and logs."""
    return out.parent / f".{out.name}.render"


@contextmanager
def locked(out: Path, on_wait: Callable[[str], None] | None = None, wait: bool = True) -> Iterator[Path]:
    """Hold OUT's lock for the block; waits (telling ``on_wait`` why) if another render has it."""
    check_work_area(out)
    area = work_area(out)
    area.mkdir(parents=True, exist_ok=True)
    fd = os.open(area / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            message = f"another nll-lecture render is writing into {out} (pid {holder})"
            if not wait:
                raise LockBusy(message) from None
            if on_wait:
                on_wait(f"{message}; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield area
    finally:
        os.close(fd)


def drop_unused_area(out: Path) -> None:
    """Remove the work area beside OUT if it holds nothing but the lock (a render that made
    it and then failed before any work, e.g. an unreachable --cluster): no empty
    ``.OUT.render/`` is left behind. Call after the lock is released."""
    area = work_area(out)
    try:
        if not _is_real_dir(area) or set(os.listdir(area)) - {"lock"}:
            return
        if _is_regular(area / "lock"):
            os.unlink(area / "lock")
        os.rmdir(area)
    except OSError:
        pass


def clean_stale_runs(out: Path, warn: Callable[[str], None] | None = None) -> None:
    """Finish or remove what earlier, dead runs left (call with the lock held).

    A stage inside OUT whose journal shows a swap under way is rolled forward (every owned
    entry the dead run meant to publish is put in place); any other stage is dropped. An
    older version's fallback swap that died between its two renames (OUT missing, the run's
    ``old/`` holding it) is put back.

    Nothing found here is trusted: a journal's steps may only name OUT's owned top-level
    entries (:data:`OWNED`), each moved only when its inode is the one the journal recorded;
    a stage, a tree or an ``old/`` that is a symbolic link is never followed (the link itself
    is removed: the name is the render's). A journal that breaks these rules is ignored, with
    one ``warn`` line.
    """
    staging = out / STAGING
    if os.path.lexists(staging) and not _is_real_dir(staging):
        os.unlink(staging)  # a link or a file where the render's hidden stage belongs: the name is ours
    elif staging.is_dir():
        for entry in sorted(os.listdir(staging)):
            stage = staging / entry
            if not _is_real_dir(stage):
                os.unlink(stage)
                continue
            if _is_regular(stage / JOURNAL) and _is_real_dir(stage / "tree"):
                _roll_forward_quietly(stage / "tree", out, warn)
            shutil.rmtree(stage, ignore_errors=True)  # (never follows symbolic links)
        _rmdir_quietly(staging)
    area = work_area(out)
    if not _is_real_dir(area):
        return
    for run in sorted(area.glob("run-*")):
        if not _is_real_dir(run):
            continue  # not a run folder of ours: left alone
        old = run / "old"
        if not os.path.lexists(out) and _is_real_dir(old) and not (run / "swapped").exists():
            os.rename(old, out)
        elif _is_regular(run / JOURNAL) and _is_real_dir(run / "tree"):
            _roll_forward_quietly(run / "tree", out, warn)
        shutil.rmtree(run, ignore_errors=True)


def _roll_forward_quietly(tree: Path, out: Path, warn: Callable[[str], None] | None) -> None:
    try:
        _roll_forward(tree, out)
    except UntrustedEntry as err:
        if warn:
            warn(f"warning: {err}")
    except (OSError, ValueError, KeyError, TypeError):
        pass  # nothing better to do: the entries stay as they are


def new_run(out: Path) -> Path:
    """A fresh folder for this run's work and logs (in the work area beside OUT)."""
    run = work_area(out) / f"run-{os.getpid()}-{secrets.token_hex(4)}"
    for sub in ("tree", "work", "logs"):  # (the pipeline builds its tree in a stage inside OUT)
        (run / sub).mkdir(parents=True)
    return run


@dataclass
class Stage:
    """Where one run builds OUT's next owned entries: ``tree`` inside OUT's hidden staging."""

    path: Path
    out: Path
    created_out: bool

    @property
    def tree(self) -> Path:
        return self.path / "tree"

    def drop(self) -> None:
        """Remove the stage (and OUT, if this run created it and it is still empty)."""
        shutil.rmtree(self.path, ignore_errors=True)
        _rmdir_quietly(self.out / STAGING)
        if self.created_out:
            _rmdir_quietly(self.out)


def new_stage(out: Path, run: Path) -> Stage:
    """Create this run's stage inside OUT (creating OUT if it does not exist yet).

    Folders are created with the default mode (0777 less the umask); inside a setgid OUT they
    inherit its group and setgid bit, as the kernel does for any new folder there.
    """
    created = False
    if not out.is_dir():
        out.mkdir(parents=True)
        created = True
    path = out / STAGING / run.name
    try:
        (path / "tree").mkdir(parents=True)
    except BaseException:
        Stage(path, out, created).drop()
        raise
    return Stage(path, out, created)


def _rmdir_quietly(path: Path) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def owned_names(tree: Path, out: Path) -> list[str]:
    """The top-level names a swap of ``tree`` into ``out`` replaces, in swap order."""
    extra = sorted(name for name in os.listdir(tree) if name not in OWNED)
    return [name for name in (*extra, *OWNED) if os.path.lexists(tree / name) or os.path.lexists(out / name)]


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False if the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def inode(path: Path) -> int | None:
    """The inode of ``path`` itself (a link's own), None if nothing is there: what a
    journal step records of each entry."""
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None


def write_journal(path: Path, steps: list[dict]) -> None:
    """Write the swap's journal (``{"steps": [{"name", "new", "old"}...]}``) durably, before
    its first step: a swap that dies midway is rolled forward from it."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"steps": steps}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def swap_entry(tree: Path, out: Path, name: str) -> None:
    """One step: OUT/name becomes tree/name; the previous OUT/name (if any) ends at tree/name."""
    new, old = tree / name, out / name
    new_there, old_there = os.path.lexists(new), os.path.lexists(old)
    if new_there and old_there:
        if not _exchange(new, old):  # no RENAME_EXCHANGE here: two renames via a side name
            aside = tree.parent / f"aside-{name}"
            os.rename(old, aside)
            try:
                os.rename(new, old)
            except BaseException:
                os.rename(aside, old)
                raise
            os.rename(aside, new)
    elif new_there:
        os.rename(new, old)
    elif old_there:
        os.rename(old, new)


def swap_into_place(tree: Path, out: Path) -> None:
    """Put every owned top-level entry of ``tree`` in place in ``out``, one atomic exchange
    each; owned entries of ``out`` that ``tree`` lacks are taken out. Afterwards ``tree``'s
    place's sibling ``old`` holds the previous versions (removed with the run's folder).

    ``tree`` must be on OUT's file system. On an error every step done is undone (OUT as it
    was) and the error raised; a process that dies mid-way leaves the journal for
    :func:`clean_stale_runs` to roll forward.
    """
    out.mkdir(parents=True, exist_ok=True)
    names = owned_names(tree, out)
    steps = [{"name": name, "new": inode(tree / name), "old": inode(out / name)} for name in names]
    journal = tree.parent / JOURNAL
    write_journal(journal, steps)
    done: list[str] = []
    try:
        for name in names:
            swap_entry(tree, out, name)
            done.append(name)
    except BaseException:
        for name in reversed(done):  # each step is its own inverse
            try:
                swap_entry(tree, out, name)
            except OSError:
                pass
        try:
            os.unlink(journal)
        except OSError:
            pass
        raise
    os.unlink(journal)
    os.rename(tree, tree.parent / "old")
    (tree.parent / "swapped").touch()


def _journal_steps(journal: Path) -> list[dict]:
    """A journal's steps, checked: each names one owned top-level entry with the inodes
    (int or null) of its new and old versions (:class:`UntrustedEntry` otherwise)."""
    try:
        steps = json.loads(journal.read_text(encoding="utf-8"))["steps"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UntrustedEntry(f"{journal} is not a journal nll-lecture render wrote; ignored") from None
    if not isinstance(steps, list):
        raise UntrustedEntry(f"{journal} is not a journal nll-lecture render wrote; ignored")
    for step in steps:
        if not (isinstance(step, dict) and step.get("name") in OWNED
                and all(type(step.get(k)) is int or step.get(k) is None for k in ("new", "old"))):
            name = step.get("name") if isinstance(step, dict) else step
            raise UntrustedEntry(f"{journal} names {name!r}, not an entry the render owns; ignored")
    return steps


def _roll_forward(tree: Path, out: Path) -> None:
    """Finish a swap a dead run started (its journal says which inode goes where).

    A step is done only if OUT's entry is still the one the journal saw (or missing) and the
    staged one is the one it made; the names are OUT's owned top-level entries, never a path.
    """
    steps = _journal_steps(tree.parent / JOURNAL)
    for step in steps:
        name, new, old = step["name"], step["new"], step["old"]
        current = inode(out / name)
        if current == new:
            continue  # this step was done (or there was nothing to do)
        staged = inode(tree / name)
        if new is not None and staged == new and current in (old, None):
            swap_entry(tree, out, name)
        elif new is None and current is not None and current == old:
            if os.path.lexists(tree / name):
                continue  # inconsistent: leave it
            os.rename(out / name, tree / name)
