"""A one-line progress bar on stderr, redrawn in place, and only on a terminal: in a log
file, a pipe or a batch job's output it would be noise, and stdout may be a JSON document."""
import sys
import time

from autograder.checking.results import Row


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


class Progress:
    """`total` notebooks, `reused` of them already graded by an earlier run."""

    WIDTH = 30

    def __init__(self, total: int, *, reused: int = 0, show: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = show and total > 0 and self.stream.isatty()
        self.total, self.reused = total, reused
        self.graded = self.errors = 0
        self.started = time.monotonic()

    def __enter__(self):
        self._draw()
        return self

    def __exit__(self, *exc_info):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, row: Row):
        self.graded += 1
        self.errors += not row.graded
        self._draw()

    def _draw(self):
        if not self.enabled:
            return
        done = self.reused + self.graded
        filled = self.WIDTH * done // self.total
        elapsed = time.monotonic() - self.started
        line = (f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{self.total} "
                f"{_clock(elapsed)}")
        if self.graded:
            left = elapsed / self.graded * (self.total - done)
            line += f", about {_clock(left)} left"
        if self.reused:
            line += f" ({self.reused} from an earlier run)"
        if self.errors:
            line += f" ({self.errors} not gradable)"
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()
