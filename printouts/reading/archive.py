"""The scanned images kept beside the database, each named by its SHA-256 (which the log
records with every reading), and the pictures the committee looks at."""

import os
import shutil
import tempfile
from pathlib import Path

import cv2
import numpy as np

from session.ballot_reading import SheetPlace

ENVIRONMENT = "PRESIDIUM_BALLOT_ARCHIVE"


def archive_for(database: str) -> Path:
    """Where a congress's scans are kept: PRESIDIUM_BALLOT_ARCHIVE if set, else beside an
    SQLite file ("congress.db" → "congress-ballots/"), else in the current folder."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen:
        return Path(chosen)
    if database.startswith("sqlite:///"):
        path = Path(database.removeprefix("sqlite:///"))
        return path.with_name(f"{path.stem}-ballots")
    return Path.cwd() / "presidium-ballots"


def keep(archive: Path, source: Path, sha256: str) -> Path:
    """Copy a scan into the archive under its SHA-256 (once; atomically)."""
    archive.mkdir(parents=True, exist_ok=True)
    target = archive / f"{sha256}{source.suffix.lower()}"
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(dir=archive, prefix=".incoming-")
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    return target


def picture_path(archive: Path, place: SheetPlace) -> Path:
    """The picture of a doubtful sheet's rows, for the counting screen."""
    return archive / f"{place.image}-p{place.page}-s{place.slot}.png"


def save_picture(archive: Path, place: SheetPlace, picture: np.ndarray) -> Path:
    archive.mkdir(parents=True, exist_ok=True)
    path = picture_path(archive, place)
    ok, data = cv2.imencode(".png", picture)
    if ok:
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data.tobytes())
        os.replace(tmp, path)
    return path
