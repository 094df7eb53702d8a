"""The embedded store's write-ahead log, checkpointed beside the writes instead of inside
them.

In WAL mode every commit appends its pages to the log. A checkpoint copies them back into
the database file and syncs both files (with `synchronous = NORMAL` that is the only
place SQLite syncs); once the whole log is copied, the next commit starts it again from
its beginning. Left to SQLite (`wal_autocheckpoint`, 1,000 pages), the commit that
crosses 4 MiB of log runs the whole checkpoint itself, in the store's one database
thread: every write queued behind it waits for the copy and two fsyncs. A 200-item
cart's change writes ~260 KB, so every ~15th of them paid for one (BENCHMARKS.md, issue
23, fifth session).

Here the store's connection never checkpoints by itself (`wal_autocheckpoint = 0`).
`Checkpoints` runs them in a thread of its own, on a connection of its own: a PASSIVE
checkpoint, which neither waits for the writer nor blocks it, and copies the log as far as
it reached when the checkpoint began. One is started at most every `every` seconds, when
a group commit ends (`written`): no timer, nothing while the store is idle.

The log's bound. Under writes that never pause, a background checkpoint never catches up
with the commits made while it ran, so the log would never start again and would grow
without end. When a checkpoint finds the log longer than `limit` frames, a few more run
back to back, each copying what was written while the one before ran, and then the
database thread copies the rest itself between two batches (`catch_up`): the frames
written during the last of them. The next commit then starts the log again, and
`journal_size_limit` cuts the file back to the bound's size.

Durability is SQLite's own either way: a commit is in the log before it is answered, and
the log is synced before the database file is overwritten from it, whichever connection
checkpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("omnicart.store")

CHECKPOINT_EVERY = 0.1  # seconds between background checkpoints while writes go on
LOG_LIMIT_FRAMES = 16_384  # past it the database thread catches up: 64 MiB at SQLite's 4 KiB page
# Background checkpoints run back to back before the database thread catches up: each one
# copies what was written while the one before ran, which with writes arriving at half
# the speed of the copy (260 KB changes of a 200-item cart) halves what is left each time.
CLOSING_PASSES = 4


def keep_log_short(db: sqlite3.Connection, limit_frames: int) -> None:
    """Set up the store's own connection: it never checkpoints by itself, and the log's
    file is cut back to its bound whenever the log starts again."""
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute(f"PRAGMA journal_size_limit = {int(limit_frames) * int(page_size)}")


class Checkpoints:
    """Background checkpoints of one SQLite file, asked for by the store's event loop."""

    def __init__(self, path: str, every: float = CHECKPOINT_EVERY, limit_frames: int = LOG_LIMIT_FRAMES) -> None:
        self._path = path
        self._every = every
        self._limit = limit_frames
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnicart-sqlite-checkpoint")
        self._db: sqlite3.Connection | None = None  # opened in the checkpoint thread on first use
        self._due = time.monotonic() + every
        self._running = False
        self.behind = False  # the log is past its bound: the database thread copies the rest
        self.passes = 0  # background checkpoints run (tests, diagnostics)

    def written(self, loop: asyncio.AbstractEventLoop) -> None:
        """In the event loop, after a commit: start a background checkpoint if one is due."""
        if self._running or self.behind or time.monotonic() < self._due:
            return  # while behind, none: the database thread's own must not find one running
        try:
            done = self._executor.submit(self._checkpoint)
        except RuntimeError:  # shut down: the store is closing
            return
        self._running = True

        def back(_: Future[int]) -> None:  # in the checkpoint thread
            with contextlib.suppress(RuntimeError):  # the loop is closed: no one asks any more
                loop.call_soon_threadsafe(self._checked, done)

        done.add_done_callback(back)

    def _checked(self, done: Future[int]) -> None:
        self._running = False
        self._due = time.monotonic() + self._every
        try:
            frames = done.result()
        except Exception:  # a checkpoint that failed is tried again at the next one
            log.warning("background checkpoint of %s failed", self._path, exc_info=True)
            return
        self.passes += 1
        if frames > self._limit:
            self.behind = True

    def _checkpoint(self) -> int:
        """In the checkpoint thread: how many frames the log held. Past the bound, again
        at once, until little was written while the last one ran: what the database
        thread then has to copy itself (`catch_up`) is only that little."""
        if self._db is None:
            self._db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        frames = self._passive(self._db)
        for _ in range(CLOSING_PASSES):
            if frames <= self._limit:
                break
            copied, frames = frames, self._passive(self._db)
            if frames - copied <= self._limit // 64:
                break
        return frames

    @staticmethod
    def _passive(db: sqlite3.Connection) -> int:
        """Copy the log into the database file as far as it reaches now; its length."""
        _, frames, _ = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(frames)

    def catch_up(self, db: sqlite3.Connection) -> None:
        """In the database thread, between two transactions: copy what the background
        checkpoint left, so that the next commit starts the log again."""
        self.behind = False
        try:
            self._passive(db)
        except sqlite3.Error:  # tried again when the log is found past its bound again
            log.warning("checkpoint of %s failed", self._path, exc_info=True)

    def close(self) -> None:
        """Stop: wait for a running checkpoint, then close the connection."""

        def close() -> None:
            if self._db is not None:
                self._db.close()

        self._executor.submit(close)
        self._executor.shutdown(wait=True)
