"""Apertium's Urdu analyser as a name signal: unknown words and proper-noun tags.

`lt-proc` on apertium-urd's analyser marks words it does not know with `*` (in news these
are mostly transliterated names) and tags the names it knows `<np>` with a subtype (top =
place, ant = first name, cog = surname, org). The CRF uses the class as a feature. Optional:
without the Debian package every word gets class `-`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

ANALYSER = Path("/usr/share/apertium/apertium-urd/urd.automorf.bin")
_UNIT_RE = re.compile(r"\^(.*?)\$")
_SPECIAL_RE = re.compile(r"[\^$/\\\[\]{}<>@*#~\s]")  # stream-format characters: never sent
_cache: dict[str, str] = {}


MAX_CACHE = 500_000
PIPE_SAFE = 32_768  # bytes written inline: they fit in the (empty) input pipe's 64 KiB buffer at once
_proc: subprocess.Popen | None = None


def _analyse(text: str) -> str:
    """Run text through one long-lived `lt-proc -z` (NUL-flushed), starting it on first use.

    One process per Python process: forking lt-proc for every article cost more than analysing.
    """
    global _proc
    for _attempt in range(2):
        if _proc is None or _proc.poll() is not None:
            _proc = subprocess.Popen(["lt-proc", "-z", str(ANALYSER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            writer = _send(_proc, text.replace("\0", " ").encode("utf-8") + b"\0")
            buf = bytearray()
            while not buf.endswith(b"\0"):
                chunk = _proc.stdout.read1(65536)
                if not chunk:
                    raise BrokenPipeError("lt-proc closed its output")
                buf += chunk
            if writer is not None:
                writer.join()
            return buf[:-1].decode("utf-8", errors="replace")
        except (BrokenPipeError, OSError):
            _proc.kill()
            _proc = None
    return ""


def _forget_parents_analyser() -> None:
    """In a forked child: drop the parent's lt-proc (its pipes belong to the parent's conversation), so
    the child starts its own on first use. Without this the child only noticed through `poll()` failing
    to wait for a process that is not its own child."""
    global _proc
    if _proc is not None:
        for pipe in (_proc.stdin, _proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()  # the child's copies of the descriptors only; flushed after every write
        _proc = None


os.register_at_fork(after_in_child=_forget_parents_analyser)


def _send(proc: subprocess.Popen, data: bytes) -> threading.Thread | None:
    """Write `data` to lt-proc's input; a payload that may not fit in the pipe's buffer is written
    from a thread, as lt-proc stops reading while its output waits to be read (both would block)."""
    if len(data) <= PIPE_SAFE:
        proc.stdin.write(data)
        proc.stdin.flush()
        return None
    writer = threading.Thread(target=_write_all, args=(proc, data), daemon=True)
    writer.start()
    return writer


def _write_all(proc: subprocess.Popen, data: bytes) -> None:
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
    except (BrokenPipeError, OSError):
        pass  # lt-proc died: the reader sees its output close


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether lt-proc and the Urdu analyser are installed."""
    return shutil.which("lt-proc") is not None and ANALYSER.exists()


def _classify(analyses: list[str]) -> str:
    if not analyses or analyses[0].startswith("*"):
        return "UNK"
    for a in analyses:
        m = re.search(r"<np>(?:<(\w+)>)?", a)
        if m:
            return "NP." + (m.group(1) or "x")
    m = re.search(r"<(\w+)>", analyses[0])
    return m.group(1) if m else "-"


def classes(words: list[str]) -> list[str]:
    """The analyser class of each word (cached per word; one lt-proc call for the new ones)."""
    if not available():
        return ["-"] * len(words)
    known = list(map(_cache.get, words))
    if None not in known:
        return known
    new = sorted({w for w, c in zip(words, known, strict=True) if c is None})
    if len(_cache) > MAX_CACHE:
        _cache.clear()  # bounded memory on long ingests; this call's words are all looked up again
        new = sorted(set(words))
    sent = [w for w in new if not _SPECIAL_RE.search(w)]  # stream-format characters are never sent: class "-"
    if sent:
        out = _analyse("\n".join(sent) + "\n")
        for unit in _UNIT_RE.findall(out):
            surface, *analyses = unit.split("/")
            cls = _classify(analyses)
            for part in surface.split():
                _cache.setdefault(part, cls)
    for w in new:
        _cache.setdefault(w, "-")
    return [_cache.get(w, "-") for w in words]
