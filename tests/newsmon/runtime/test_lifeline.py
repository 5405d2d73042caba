"""The lifeline supervisor ends its command however often it is signalled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from newsmon.runtime.lifeline import running


def test_a_burst_of_signals_ends_the_command_and_the_lifeline() -> None:
    # A signal that lands while the main loop waits must not deadlock the supervisor. It
    # once did (threading.Event.set() called from the handler), in a window too narrow
    # for this test to hit reliably: it guards the behaviour, CI found the race.
    lifeline = subprocess.Popen(
        [sys.executable, "-m", "newsmon.runtime.lifeline", str(os.getpid()), "--",
         sys.executable, "-c", "import time; time.sleep(120)"],
        stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(1.0)
    children = [int(pid) for pid in subprocess.run(
        ["pgrep", "-P", str(lifeline.pid)], capture_output=True, text=True
    ).stdout.split()]
    assert children, "the lifeline started no command"
    for _ in range(50):
        if lifeline.poll() is not None:
            break
        lifeline.send_signal(signal.SIGTERM)
        time.sleep(0.002)
    try:
        lifeline.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(lifeline.pid, signal.SIGKILL)
        raise AssertionError("the lifeline hung after a burst of SIGTERM") from None
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in children)
