"""Where a snapshot's files live and how they are switched: nobody ever reads a half-written one.

Each run writes into a folder of its own, ``open-data/<snapshot id>/`` in the default storage
(MEDIA_ROOT), every file first under a temporary name and then renamed into place. Only when
every file is there does the run replace ``open-data/current.json``, the manifest that names the
current folder, its date, the files' sizes and hashes and the row counts: again a temporary file
renamed over the old one, an atomic step on a POSIX file system. Readers look the manifest up
first, so they get either the whole old snapshot or the whole new one. The folder before the
current one is kept (a download that started before the switch finishes from it); older ones go.

The default storage must be a file system one (Django's ``FileSystemStorage``, the portal's),
shared by the worker that writes and the web processes that serve (docker-compose.yml mounts the
same volume in both).
"""

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.files.storage import default_storage

ROOT = "open-data"
MANIFEST = "current.json"
# Snapshots kept besides the current one, for downloads that began before a switch.
KEEP_PREVIOUS = 1


@dataclass(frozen=True)
class Snapshot:
    id: str
    created: datetime
    files: dict  # name -> {"bytes": int, "sha256": str}
    counts: dict  # "organizations", "summaries", ... -> rows

    def path(self, name: str) -> Path:
        return root() / self.id / name


def root() -> Path:
    return Path(default_storage.path(ROOT))


@contextmanager
def _atomic_text_file(path: Path):
    """A text file to write ``path`` through: a temporary file in its folder, renamed into place
    once complete (and removed if the writing fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _digest(path: Path) -> dict:
    sha256 = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 16), b""):
            sha256.update(block)
    return {"bytes": path.stat().st_size, "sha256": sha256.hexdigest()}


class SnapshotWriter:
    """The files of one new snapshot, written into its own folder."""

    def __init__(self, snapshot_id: str):
        self.id = snapshot_id
        self.folder = root() / snapshot_id
        self.files: dict[str, dict] = {}

    @contextmanager
    def open(self, name: str):
        """A text file to write ``name`` into; it appears under its name once complete."""
        path = self.folder / name
        with _atomic_text_file(path) as out:
            yield out
        self.files[name] = _digest(path)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def publish(self, *, created: datetime, counts: dict) -> Snapshot:
        """Make this the current snapshot (one rename), then drop the snapshots before the last."""
        manifest = {
            "id": self.id,
            "created": created.isoformat(),
            "files": self.files,
            "counts": counts,
        }
        with _atomic_text_file(root() / MANIFEST) as out:
            json.dump(manifest, out, ensure_ascii=False, indent=2)
        _prune(keep=self.id)
        return _snapshot(manifest)


def _snapshot(manifest: dict) -> Snapshot:
    return Snapshot(
        id=manifest["id"],
        created=datetime.fromisoformat(manifest["created"]),
        files=manifest["files"],
        counts=manifest["counts"],
    )


def current() -> Snapshot | None:
    """The current snapshot, or None before the first run."""
    try:
        with (root() / MANIFEST).open(encoding="utf-8") as source:
            return _snapshot(json.load(source))
    except FileNotFoundError:
        return None


def _prune(*, keep: str) -> None:
    """Remove the snapshot folders older than the last ``KEEP_PREVIOUS`` before ``keep``."""
    folders = sorted(
        (entry for entry in root().iterdir() if entry.is_dir() and entry.name != keep),
        key=lambda entry: entry.name,
    )
    # Snapshot ids sort by time; a folder newer than ``keep`` is a run still writing.
    older = [entry for entry in folders if entry.name < keep]
    for entry in older[: len(older) - KEEP_PREVIOUS] if KEEP_PREVIOUS else older:
        shutil.rmtree(entry, ignore_errors=True)
