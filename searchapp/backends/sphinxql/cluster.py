"""Run a Sphinx cluster of searchd processes on loopback ports, for tests and benches.

Each node gets its own folder (config, data, binlog, logs) under one base folder, free loopback
ports, and one searchd process (watchdog = 0), stopped by the PID it wrote. `kill` stops a node
hard (SIGKILL) to play a crashed machine; `start` brings it back (the binlog replays every write
it acknowledged). The cluster description is also written as TOML, what the backend reads.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from searchapp.backends.sphinxql import searchd_conf
from searchapp.backends.sphinxql.topology import Node, Topology

SEARCHD = "searchd"
START_TIMEOUT_S = 15.0


class ClusterError(RuntimeError):
    """A node did not start or stop; the message holds the end of its log."""


def searchd_path() -> str | None:
    """Return the searchd executable, or None when Sphinx is not installed."""
    return shutil.which(SEARCHD)


def free_ports(n: int) -> list[int]:
    """Return n loopback ports free right now (held open together so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def loopback_topology(shards: list[list[str]]) -> Topology:
    """Return a topology whose nodes (named in `shards`, primary first) listen on free ports."""
    names = list(dict.fromkeys(n for s in shards for n in s))
    ports = free_ports(2 * len(names))
    nodes = tuple(Node(name, "127.0.0.1", ports[2 * i], ports[2 * i + 1])
                  for i, name in enumerate(names))
    return Topology(nodes, tuple(tuple(s) for s in shards))


def _proc_state(pid: int) -> str | None:
    """Return a process's state letter (R, S, T, Z...), None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class LocalCluster:
    """A cluster of searchd processes on this machine; use as a context manager."""

    def __init__(self, base: Path, topology: Topology, **conf_options: object):
        self.base = Path(base)
        self.topology = topology
        self.conf_options = conf_options
        self.configs: dict[str, Path] = {}
        self.toml = self.base / "cluster.toml"

    def folder(self, name: str) -> Path:
        return self.base / name

    def write(self) -> None:
        """Write every node's config and the cluster description."""
        self.base.mkdir(parents=True, exist_ok=True)
        for node in self.topology.nodes:
            self.configs[node.name] = searchd_conf.write_node(
                self.topology, node, self.folder(node.name), **self.conf_options)
        self.toml.write_text(self.topology.to_toml(), encoding="utf-8")

    def pid(self, name: str) -> int | None:
        """Return the PID a node wrote, or None when it is not running."""
        try:
            pid = int((self.folder(name) / "searchd.pid").read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if self._alive(pid) else None

    def start(self, name: str | None = None) -> None:
        """Start one node (or every node that is not running) and wait until it answers SQL."""
        exe = searchd_path()
        if exe is None:
            raise ClusterError("searchd is not installed (Debian: apt-get install sphinxsearch)")
        if not self.configs:
            self.write()
        names = [name] if name else [n.name for n in self.topology.nodes]
        for n in names:
            if self.pid(n) is not None:
                continue
            proc = subprocess.run([exe, "--config", str(self.configs[n])], capture_output=True,
                                  text=True, timeout=START_TIMEOUT_S)
            if proc.returncode != 0:
                raise ClusterError(f"searchd {n} did not start: {self._tail(n, proc.stdout + proc.stderr)}")
        for n in names:
            port = self.topology.node(n).sql_port
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _answers(port):
                if time.monotonic() > deadline:
                    raise ClusterError(f"searchd {n} does not answer on port {port}: {self._tail(n)}")
                time.sleep(0.05)

    def _tail(self, name: str, extra: str = "") -> str:
        try:
            log = (self.folder(name) / "searchd.log").read_text(errors="replace")
        except OSError:
            log = ""
        return (extra + "\n" + log).strip()[-1500:]

    def kill(self, name: str) -> None:
        """Kill one node with SIGKILL, as a crashed machine, and wait until it is gone."""
        self._signal(name, signal.SIGKILL)

    def stop(self, name: str | None = None, *, hard: bool = False) -> None:
        """Stop one node (or all) with SIGTERM (SIGKILL when hard), waiting for each."""
        self._signal([name] if name else [n.name for n in self.topology.nodes],
                     signal.SIGKILL if hard else signal.SIGTERM)

    def pause(self, name: str) -> None:
        """Freeze a node (SIGSTOP): it accepts connections but answers nothing, a hung machine."""
        pid = self.pid(name)
        if pid is not None:
            os.kill(pid, signal.SIGSTOP)
            deadline = time.monotonic() + 5
            while _proc_state(pid) not in ("T", None) and time.monotonic() < deadline:
                time.sleep(0.005)     # stopped only once every thread is

    def resume(self, name: str) -> None:
        """Let a paused node run again (SIGCONT)."""
        pid = self.pid(name)
        if pid is not None:
            os.kill(pid, signal.SIGCONT)

    def _signal(self, names: list[str] | str, sig: int) -> None:
        """Send `sig` to every named node first, then wait for each (a stop takes ~3 s)."""
        names = [names] if isinstance(names, str) else names
        pids = {n: p for n in names if (p := self.pid(n)) is not None}
        for pid in pids.values():
            os.kill(pid, signal.SIGCONT)    # a paused node cannot act on SIGTERM
            os.kill(pid, sig)
        deadline = time.monotonic() + 10
        for name, pid in pids.items():
            while self._alive(pid):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    deadline = time.monotonic() + 10
                time.sleep(0.02)
            port = self.topology.node(name).sql_port
            while _answers(port) and time.monotonic() < deadline:
                time.sleep(0.02)

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            # searchd is our child only when the harness did not daemonize; reap it if so.
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        state = _proc_state(pid)     # a zombie is dead for our purposes
        return state is not None and state != "Z"

    def __enter__(self) -> "LocalCluster":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
