"""Atomic file writes: a temporary file in the same directory, fsync, ``os.replace``.

A crash leaves either the old file or the new one, never a truncated PDF; a failed write
removes its temporary file. Every file written here holds personal data (payslips, payment
files, registers, ledgers, filings): it is owner-only (0600) whatever the umask, and the
folders created for it are 0700.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

TEMP_SUFFIX = ".part"


def temp_path_for(path: Path) -> Path:
    """A fresh hidden temporary name beside ``path`` (``.name.<random>.part``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def atomic_write_bytes(path: Path | str, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (parent directories are created).

    ``private``: the file is readable and writable by its owner only (0600).
    """

    def write(tmp: Path) -> None:
        # O_EXCL: never follow or reuse an existing file; mode 0o666 is narrowed by the umask.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
        if private:
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    atomic_write(path, write)


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then rename it over ``path``.

    For writers that want a file name (openpyxl, csv); :func:`atomic_write_bytes` for bytes.
    A failed write removes its temporary file and leaves ``path`` as it was. The file is
    owner-only (0600).
    """
    path = Path(path)
    _private_folders(path.parent)
    tmp = temp_path_for(path)
    try:
        write(tmp)
        os.chmod(tmp, 0o600)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_temp(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to a fresh owner-only temporary file beside ``path``; its name.

    Not yet durable nor visible under ``path``: :func:`commit_temps` makes a whole folder's
    files durable with one sync and then renames them. Until then a crash leaves only
    temporary files, never a partial file under a final name.
    """
    path = Path(path)
    _private_folders(path.parent)
    tmp = temp_path_for(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def commit_temps(renames: Iterable[tuple[Path, Path]]) -> None:
    """Make temporary files durable, then rename each over its final name.

    One ``syncfs`` per folder where the system has it (else an ``fsync`` of each file),
    all before the first rename, then one ``fsync`` of each folder: a file appears under
    its final name only once its content is on disk. On an error the temporary files not
    yet renamed are removed and the error is raised.
    """
    pending = [(Path(tmp), Path(final)) for tmp, final in renames]
    try:
        folders = sorted({final.parent for _, final in pending})
        for folder in folders:
            if not _syncfs(folder):
                for tmp, final in pending:
                    if final.parent == folder:
                        with open(tmp, "rb") as f:
                            os.fsync(f.fileno())
        while pending:
            tmp, final = pending[-1]
            os.replace(tmp, final)
            pending.pop()
    finally:
        for tmp, _ in pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    for folder in folders:
        _fsync_dir(folder)


def _syncfs(folder: Path) -> bool:
    """``syncfs(2)`` of the file system holding ``folder``; ``False`` where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return call(fd) == 0
    finally:
        os.close(fd)


def _private_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents as 0700 (the umask cannot widen them)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):
            new.mkdir(mode=0o700)  # a umask only takes bits away


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
