"""A real two-node SolrCloud on loopback for the tests: solr/launcher (MiniSolrCloudCluster).

Maven builds the launcher on first use (solr/launcher/target/, ignored by git) and fetches
Solr's jars into ~/.m2; later runs reuse both. The launcher prints `READY url url`, then
takes `stop N` / `start N` / `quit` on standard input, one answer line each, so a test can
kill a node in the middle of its work.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "solr" / "launcher"
CONFIGSET = ROOT / "solr" / "configset" / "conf"
COLLECTION = "baoku"
# Every line the launcher answers starts with one of these.
_ANSWERS = {"READY", "STOPPED", "STARTED", "URLS", "ERROR"}


class SolrUnavailable(RuntimeError):
    pass


def build_launcher() -> str:
    """Compile the launcher if needed; return its Java classpath."""
    for tool in ("java", "mvn"):
        if not shutil.which(tool):
            raise SolrUnavailable(f"{tool} is not installed: the Solr tests need Java 17 and Maven")
    classes = LAUNCHER / "target" / "classes"
    classpath = LAUNCHER / "target" / "classpath.txt"
    source = LAUNCHER / "src" / "main" / "java" / "baoku" / "SolrCloudLauncher.java"
    stale = not classpath.exists() or not (classes / "baoku" / "SolrCloudLauncher.class").exists() or \
        (classes / "baoku" / "SolrCloudLauncher.class").stat().st_mtime < max(
            source.stat().st_mtime, (LAUNCHER / "pom.xml").stat().st_mtime)
    if stale:
        run = subprocess.run(
            ["mvn", "-q", "-B", "compile", "dependency:build-classpath", f"-Dmdep.outputFile={classpath}"],
            cwd=LAUNCHER, capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            raise SolrUnavailable(f"mvn could not build solr/launcher:\n{run.stdout[-3000:]}{run.stderr[-2000:]}")
    return f"{classes}:{classpath.read_text().strip()}"


class SolrCloud:
    """The running cluster: `urls` (one per node), `collection_url(i)`, `stop(i)`, `start(i)`."""

    def __init__(self, nodes: int = 2, timeout: float = 240):
        classpath = build_launcher()
        self._dir = tempfile.mkdtemp(prefix="baoku-solr-")
        self._log = open(Path(self._dir) / "launcher.log", "w")
        self._proc = subprocess.Popen(
            ["java", "-Xmx1g", "-cp", classpath, "baoku.SolrCloudLauncher",
             str(Path(self._dir) / "cluster"), str(CONFIGSET), COLLECTION, str(nodes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, bufsize=1)
        line = self._answer(timeout)
        if not line.startswith("READY "):
            self.close()
            raise SolrUnavailable(f"the Solr launcher did not start: {line!r} (log: {self._log.name})")
        self.urls = line.split()[1:]

    def _answer(self, timeout: float) -> str:
        """The launcher's next protocol line, waiting at most `timeout` seconds."""
        result: list[str] = []

        def read():
            for line in self._proc.stdout:
                if line.split(" ", 1)[0].strip() in _ANSWERS:
                    result.append(line.strip())
                    return
            result.append("")  # the launcher exited

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        return result[0] if result else ""

    def _command(self, text: str, expect: str, timeout: float = 120) -> None:
        self._proc.stdin.write(text + "\n")
        self._proc.stdin.flush()
        answer = self._answer(timeout)
        if not answer.startswith(expect):
            raise RuntimeError(f"solr launcher: {text!r} answered {answer!r}")

    def collection_url(self, node: int) -> str:
        return f"{self.urls[node]}/{COLLECTION}"

    def stop(self, node: int) -> None:
        self._command(f"stop {node}", "STOPPED")

    def start(self, node: int) -> None:
        self._command(f"start {node}", "STARTED", timeout=180)

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._proc.stdin.write("quit\n")
                self._proc.stdin.flush()
                self._proc.wait(60)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        self._log.close()
        shutil.rmtree(self._dir, ignore_errors=True)
