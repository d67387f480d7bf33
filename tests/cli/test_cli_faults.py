"""Outputs after faults: a run's files appear whole and together, or not at all.

Fault injection: real signals sent to a real ``cranesim run`` (SIGTERM, SIGINT, SIGKILL), a
write that fails with "no space left" (a patched writer; and a small tmpfs when this machine
lets the test mount one), a move into place that fails half way, a reader that closes stdout,
an interrupt between the trace and the JSON.  After each: the exit status of the convention,
one line on stderr, and the directory exactly as before (no new file, no temporary file; an
older result kept whole).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import subprocess_env

import cranesim.cli.app as cli
import cranesim.record.atomic as atomic
from cranesim.errors import OutputError
from cranesim.record.atomic import Outputs, PendingFile, remove_stale
from cranesim.record.trace import TraceMeta, TraceWriter


def _start(args: list, cwd: Path, **kw) -> subprocess.Popen:
    """``python -m cranesim ARGS`` in its own process group, SIGINT at its default (a shell
    may have started the tests with it ignored)."""
    return subprocess.Popen(
        [sys.executable, "-m", "cranesim", *map(str, args)],
        cwd=cwd,
        env=subprocess_env(),
        stdout=kw.pop("stdout", subprocess.DEVNULL),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        **kw,
    )


def _wait_for(pred, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


# --------------------------------------------------------------------------- signals
@pytest.mark.parametrize(
    "sig, status, line",
    [(signal.SIGTERM, 143, "cranesim: terminated"), (signal.SIGINT, 130, "cranesim: interrupted")],
)
def test_a_signal_mid_run_leaves_nothing(tmp_path, sig, status, line):
    """SIGTERM (timeout, CI, containers) is handled as Ctrl-C: one line, 128 + signal."""
    (tmp_path / "old.json").write_text("{}")
    proc = _start(["run", "--hours", "100000", "--trace", "t.csv", "--json", "old.json",
                   "--no-progress"], tmp_path)  # fmt: skip
    _wait_for(lambda: any(p.name.startswith(".t.csv~cranesim-") for p in tmp_path.iterdir()))
    time.sleep(0.5)  # well into the run: the trace's temporary file holds records
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status
    assert err.splitlines() == [line]
    assert _names(tmp_path) == ["old.json"] and (tmp_path / "old.json").read_text() == "{}"


def test_a_signal_mid_run_leaves_no_folder_it_made(tmp_path):
    """Output folders made for the run (the trace's, --export-demand's) go with their files;
    a folder that was there before stays."""
    (tmp_path / "kept").mkdir()
    proc = _start(["run", "--hours", "100000", "--trace", "new/deeper/t.csv", "--json",
                   "kept/k.json", "--export-demand", "demand", "--no-progress"], tmp_path)  # fmt: skip
    deeper = tmp_path / "new" / "deeper"
    _wait_for(
        lambda: deeper.is_dir() and any(p.name.startswith(".t.csv~") for p in deeper.iterdir())
    )
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and err.splitlines() == ["cranesim: terminated"]
    assert _names(tmp_path) == ["kept"] and _names(tmp_path / "kept") == []


def test_files_of_a_killed_run_are_recognised_and_removed(tmp_path, small_cfg_path):
    proc = _start(["run", "--hours", "100000", "--trace", "t.csv", "--no-progress"], tmp_path)
    _wait_for(lambda: any(p.name.startswith(".t.csv~") for p in tmp_path.iterdir()))
    os.killpg(proc.pid, signal.SIGKILL)  # no clean-up possible
    proc.wait(timeout=60)
    left = list(tmp_path.iterdir())  # the trace's and its metadata's temporary files
    assert left and all(p.name.startswith((f".t.csv~cranesim-{proc.pid}-",
                                           f".t.csv-metadata.json~cranesim-{proc.pid}-"))
                        and p.name.endswith(".tmp") for p in left), left  # fmt: skip
    # a temporary file of a process that is still running stays
    alive = tmp_path / f".x.json~cranesim-{os.getpid()}-{atomic._HOST}-0123abcd.tmp"
    alive.write_text("")
    assert cli.main(["run", str(small_cfg_path), "--hours", "0.2", "--json",
                     str(tmp_path / "s.json")]) == 0  # fmt: skip
    assert _names(tmp_path) == sorted([alive.name, "s.json"])


def test_remove_stale_leaves_other_hosts_and_other_files(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = tmp_path / f".a.csv~cranesim-{dead.pid}-{atomic._HOST}-0123abcd.tmp"
    other_host = tmp_path / f".a.csv~cranesim-{dead.pid}-00000000-0123abcd.tmp"
    user = tmp_path / ".a.csv.tmp"
    for p in (mine, other_host, user):
        p.write_text("x")
    assert remove_stale(tmp_path) == [mine]
    assert _names(tmp_path) == sorted([other_host.name, user.name])


# --------------------------------------------------------------------------- a full disk
def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_disk_full_while_tracing(tmp_path, small_cfg_path, monkeypatch, capsys, suffix):
    calls = {"n": 0}
    real = TraceWriter._flush

    def flush(self):
        calls["n"] += 1
        if calls["n"] == 2:  # the first batch went to disk, the second does not fit
            _enospc()
        real(self)

    monkeypatch.setattr(TraceWriter, "_flush", flush)
    monkeypatch.setattr(TraceWriter, "__init__", _small_batches(TraceWriter.__init__))
    trace = tmp_path / f"t{suffix}"
    rc = cli.main(["run", str(small_cfg_path), "--trace", str(trace), "--json",
                   str(tmp_path / "s.json"), "--no-progress"])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 1
    assert err == f"cranesim: cannot write {trace}: No space left on device (nothing was written)\n"
    assert _names(tmp_path) == []


def _small_batches(init):
    def small(self, path, meta, batch=16384, **kw):
        init(self, path, meta, 500, **kw)

    return small


def test_disk_full_for_the_json_drops_the_finished_trace_too(tmp_path, small_cfg_path,
                                                             monkeypatch, capsys):  # fmt: skip
    (tmp_path / "t.csv").write_text("old trace")
    real = PendingFile.write_bytes

    def write_bytes(self, data):
        if self.target.name == "s.json":
            raise OutputError(self.target, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        real(self, data)

    monkeypatch.setattr(PendingFile, "write_bytes", write_bytes)
    rc = cli.main(["run", str(small_cfg_path), "--hours", "0.5", "--trace", str(tmp_path / "t.csv"),
                   "--json", str(tmp_path / "s.json"), "--no-progress"])  # fmt: skip
    assert rc == 1
    assert "No space left on device" in capsys.readouterr().err
    assert _names(tmp_path) == ["t.csv"] and (tmp_path / "t.csv").read_text() == "old trace"


@pytest.fixture
def tiny_fs(tmp_path):
    """A 256 kB tmpfs, when this machine lets the tests mount one (root in a container that
    allows it); skipped otherwise (the patched writers above cover the same paths)."""
    d = tmp_path / "tiny"
    d.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(d)],
                       capture_output=True)  # fmt: skip
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    try:
        yield d
    finally:
        subprocess.run(["umount", str(d)], check=False)


def test_disk_full_on_a_real_small_file_system(tiny_fs, small_cfg_path, capsys):
    rc = cli.main(["run", str(small_cfg_path), "--hours", "24", "--trace", str(tiny_fs / "t.csv"),
                   "--json", str(tiny_fs / "s.json"), "--no-progress"])  # fmt: skip
    assert rc == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "No space left on device (nothing was written)" in err[0]
    assert _names(tiny_fs) == []
    st = os.statvfs(tiny_fs)
    assert st.f_bfree == st.f_blocks  # the space is free again


# --------------------------------------------------------------------------- together
def test_interrupt_between_the_trace_and_the_json_keeps_the_old_pair(tmp_path, small_cfg_path,
                                                                     monkeypatch, capsys):  # fmt: skip
    old = {"t.csv": "old trace", "s.json": "{}"}
    for name, text in old.items():
        (tmp_path / name).write_text(text)

    def interrupted(self, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(PendingFile, "write_bytes", interrupted)  # after the trace is complete
    rc = cli.main(["run", str(small_cfg_path), "--hours", "0.5", "--trace", str(tmp_path / "t.csv"),
                   "--json", str(tmp_path / "s.json"), "--no-progress"])  # fmt: skip
    assert rc == 130 and capsys.readouterr().err == "cranesim: interrupted\n"
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == old


def test_a_failed_move_puts_back_what_was_moved(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("old a")
    out = Outputs()
    out.write_bytes(tmp_path / "a.txt", b"new a")
    out.write_bytes(tmp_path / "b.txt", b"new b")
    real, moves = os.replace, []

    def replace(src, dst):
        moves.append(Path(dst).name)
        if Path(dst).name == "b.txt":
            raise OSError(errno.EIO, "I/O error")
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OutputError, match="cannot write .*b.txt: I/O error"):
        out.commit()
    monkeypatch.undo()
    assert moves[:2] == ["a.txt", "b.txt"]
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"a.txt": "old a"}


def test_a_signal_during_the_commit_waits_for_it(tmp_path, monkeypatch):
    """SIGINT arriving while the files move into place is handled after the last one."""
    out = Outputs()
    for name in ("a", "b"):
        out.write_bytes(tmp_path / name, name.encode())
    real = PendingFile.commit

    def commit(self):
        real(self)
        if self.target.name == "a":
            os.kill(os.getpid(), signal.SIGINT)  # between the two moves

    monkeypatch.setattr(PendingFile, "commit", commit)
    with pytest.raises(KeyboardInterrupt):
        out.commit()
    assert _names(tmp_path) == ["a", "b"]


# --------------------------------------------------------------------------- stdout, modes
def test_a_closed_stdout_ends_quietly_and_keeps_the_json(tmp_path, small_cfg_path):
    r, w = os.pipe()
    os.close(r)  # the reader has gone, as after `| head`
    proc = _start(["run", small_cfg_path, "--hours", "1", "--json", "s.json"], tmp_path, stdout=w)
    os.close(w)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports a writer whose reader left
    assert err.splitlines() == ["cranesim: wrote s.json"]  # nothing else: no error, no traceback
    assert json.loads((tmp_path / "s.json").read_text())["sim_hours"] == 1.0


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_file_modes_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic.atomic_write_text(tmp_path / "r.md", "x")
        with TraceWriter(tmp_path / "t.csv", TraceMeta(("C1",), ("station",), ("S1",))):
            pass
    finally:
        os.umask(old)
    for name in ("r.md", "t.csv", "t.csv-metadata.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_a_link_to_a_file_is_followed(tmp_path):
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    atomic.atomic_write_text(tmp_path / "link.json", "new")
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "real.json").read_text() == "new"


# --------------------------------------------------------------------------- paths, checked first
@pytest.fixture
def no_run(monkeypatch):
    """Fail the test if the command gets as far as its work."""
    import cranesim.cli.run as run_command

    def never(*a, **k):
        raise AssertionError("the run started")

    monkeypatch.setattr(run_command, "simulate", never)


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--json", "{fifo}"], "--json {fifo}: exists and is not a regular file"),
        (["--json", "/dev/null"], "--json /dev/null: exists and is not a regular file"),
        (["--json", "{tmp}/x.csv", "--trace", "{tmp}/x.csv"], "are the same file"),
        (["--json", "{tmp}/sub/../x.csv", "--trace", "{tmp}/x.csv"], "are the same file"),
        (["--json", "{cfg}"], "is the scenario this command reads"),
        (["--json", "{tmp}/" + "n" * 260 + ".json"], "the file name is 265 bytes long"),
        (["--json", "/proc/cranesim-test/x.json"], "--json /proc/cranesim-test/x.json: cannot"),
        (["--trace", "/proc/x.csv"], "--trace /proc/x.csv: cannot write there"),
    ],
)
def test_output_paths_are_checked_before_the_run(tmp_path, small_cfg_path, no_run, capsys,
                                                 extra, needle):  # fmt: skip
    if not Path("/proc/self").exists() and "/proc" in " ".join(extra):
        pytest.skip("no /proc")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    cfg = tmp_path / "plant.toml"
    cfg.write_bytes(small_cfg_path.read_bytes())
    (tmp_path / "sub").mkdir()
    fmt = {"fifo": fifo, "tmp": tmp_path, "cfg": cfg}
    args = [a.format(**fmt) for a in extra]
    before = _names(tmp_path)
    assert cli.main(["run", str(cfg), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle.format(**fmt) in err, err
    assert _names(tmp_path) == before and cfg.read_bytes() == small_cfg_path.read_bytes()


def test_compare_paths_are_checked_before_the_runs(tmp_path, small_cfg_path, monkeypatch, capsys):
    import cranesim.studies.compare as study

    monkeypatch.setattr(study, "compare", lambda *a, **k: pytest.fail("the comparison started"))
    meters = tmp_path / "m.json"  # a meter file named like an output
    meters.write_text("mode,crane,hours,kwh\n")
    cases = [
        (["--json", str(meters), "--meters", str(meters)], "is the meter file (--meters)"),
        (["--report", "/proc/cranesim-test"], "--report /proc/cranesim-test: cannot"),
    ]
    for extra, needle in cases:
        assert cli.main(["compare", str(small_cfg_path), *extra]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err, err
    assert meters.read_text() == "mode,crane,hours,kwh\n"


def test_dask_missing_is_a_user_error_before_the_runs(small_cfg_path, monkeypatch, capsys):
    import cranesim.studies.compare as study

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    monkeypatch.setattr(study, "compare", lambda *a, **k: pytest.fail("the comparison started"))
    assert cli.main(["compare", str(small_cfg_path), "--dask", "local"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cranesim: error: --dask needs dask.distributed") and err.count("\n") == 1


def test_bench_output_checked_before_the_benchmark(monkeypatch, capsys):
    import cranesim.studies.bench as bench

    monkeypatch.setattr(bench, "run_bench", lambda **k: pytest.fail("the benchmark started"))
    assert cli.main(["bench", "--quick", "--json", "/proc/cranesim-test/b.json"]) == 2
    assert capsys.readouterr().err.startswith("cranesim: error: --json /proc/cranesim-test/b.json")


# --------------------------------------------------------------------------- dask and Ctrl-C
def _descendants(pid: int) -> set[int]:
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, grew = {pid}, True
    while grew:
        new = {p for p, pp in parent.items() if pp in found and p not in found}
        found |= new
        grew = bool(new)
    return found - {pid}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_during_compare_on_a_local_dask_cluster_prints_one_line(tmp_path, small_cfg_path):
    pytest.importorskip("distributed")
    # three workers for two replications: one at least is idle, waiting in its event loop,
    # where Ctrl-C (sent to the whole process group) used to end it with a traceback
    proc = _start(["compare", small_cfg_path, "-R", "2", "--dask", "local", "--workers", "3",
                   "--hours", "20000", "--no-uncertainty", "--no-progress", "--json", "c.json"],
                  tmp_path)  # fmt: skip
    # the workers run (forked by a fork server, beside the resource tracker): 5 descendants
    _wait_for(lambda: len(_descendants(proc.pid)) >= 5 or proc.poll() is not None, timeout=120)
    time.sleep(3.0)
    assert proc.poll() is None, proc.stderr.read()
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 130
    assert err.splitlines() == ["cranesim: interrupted"]
    assert _names(tmp_path) == []
