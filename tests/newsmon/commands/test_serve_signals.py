"""``newsmon serve``'s Ctrl-C: the interrupt reaches Prefect's serve loop wherever it lands.

A real signal to a real process running an asyncio loop, like Prefect's runner: the
signal arrives while a pydantic model is being serialised (as when the runner starts a
flow run), which used to turn the KeyboardInterrupt into a serialisation error that the
runner took for a crashed run, and serving went on.
"""

from __future__ import annotations

import subprocess
import sys
import time

from tests.conftest import ROOT

PROGRAM = """
import asyncio, os, signal
from pydantic import BaseModel, model_serializer
from newsmon.commands.schedule import _stop_quickly_on_second_signal

fired = []

class RunSettings(BaseModel):
    x: int = 1

    @model_serializer
    def _serialise(self):
        if not fired:  # Ctrl-C lands here, once
            fired.append(1)
            os.kill(os.getpid(), signal.SIGINT)
        return {"x": self.x}

async def serve():
    for _ in range(100):
        try:
            RunSettings().model_dump()
        except Exception as exc:  # what the runner does with a run that fails to start
            print("run crashed:", type(exc).__name__, flush=True)
        await asyncio.sleep(0.05)
    print("kept serving", flush=True)

_stop_quickly_on_second_signal()
try:
    asyncio.run(serve())
except KeyboardInterrupt:
    print("stopped", flush=True)
"""


def test_ctrl_c_while_a_run_starts_stops_serving_at_once() -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1:] == ["stopped"], done.stdout + done.stderr
    assert "run crashed" not in done.stdout and "kept serving" not in done.stdout
    assert took < 10, f"{took:.1f} s: stopped by the 10 s guard, not by the interrupt"
