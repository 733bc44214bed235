"""A real Celery worker process for the tests that need one (mark them `worker`)."""

import signal
import subprocess
import sys
import time

from django.conf import settings


class Worker:
    """A `celery -A config worker -P solo` subprocess with the given environment, logging to a file."""

    def __init__(self, tmp_path, name, env, queues=None):
        self.log = tmp_path / f"{name}.log"
        self.env = env
        self.name = name
        self.queues = queues
        self.process = None

    def start(self):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{self.name}@%h",
        ]
        if self.queues:
            command += ["-Q", ",".join(self.queues)]
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=handle, stderr=subprocess.STDOUT
            )
        self.wait_for_log("ready.")
        return self

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_log(self, marker, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.text():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited ({self.process.returncode}):\n{self.text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"{marker!r} not in worker log after {timeout}s:\n{self.text()[-3000:]}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
