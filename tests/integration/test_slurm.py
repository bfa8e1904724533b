#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A real scheduler: installs Debian's slurm-wlm and munge when missing,
starts munged, slurmctld and slurmd on 127.0.0.1 as a one-node cluster
(a generated slurm.conf in a temp dir), submits the shards of a replay as
a job array (scripts/slurm/candor-shards.sbatch) and the merge as a job
depending on it (afterok, scripts/slurm/candor-merge.sbatch), and checks
the merged files against an unsharded replay. A second run where one shard
fails shows that the merge never runs. The daemons it started are stopped
by their pids. Fails (never skips) when the scheduler cannot be started."""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import (CANDOR, DEMO_CONFIG, LEXICON, SRC, all_bytes, candor,  # noqa: E402
                     run_tests)

SAMPLES = [os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson"),
           os.path.join(SRC, "samples", "posts-2025-11-05_06.ndjson.gz")]
SLURM_DIR = os.path.join(SRC, "scripts", "slurm")
SHARDS = 4
DEADLINE = 40   # seconds for one run of jobs


def ensure_packages():
    """Installs slurm-wlm and munge with apt-get (sudo when not root) if missing."""
    need = [b for b in ("slurmctld", "slurmd", "munged", "sbatch")
            if not shutil.which(b) and not os.path.exists("/usr/sbin/" + b)]
    if not need:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"]):
        p = subprocess.run(sudo + cmd, env=env, capture_output=True, timeout=600)
        assert p.returncode == 0, "cannot install slurm: %s" % p.stderr.decode(errors="replace")[-2000:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sbin(name):
    return shutil.which(name) or os.path.join("/usr/sbin", name)


class Cluster:
    """munged + slurmctld + slurmd for this test only, in a temp dir."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="candor-slurm-")
        os.chmod(self.dir, 0o755)
        self.procs = []
        self.host = socket.gethostname().split(".")[0]
        self.env = dict(os.environ, SLURM_CONF=os.path.join(self.dir, "slurm.conf"))

    def path(self, *p):
        return os.path.join(self.dir, *p)

    def start_munge(self):
        mdir = self.path("munge")
        os.makedirs(mdir)
        os.chmod(mdir, 0o711)   # munged wants others to reach its socket
        key = os.path.join(mdir, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        cmd = [sbin("munged"), "--foreground", "--socket", os.path.join(mdir, "munge.sock"),
               "--key-file", key, "--pid-file", os.path.join(mdir, "munged.pid"),
               "--log-file", os.path.join(mdir, "munged.log"),
               "--seed-file", os.path.join(mdir, "munged.seed")]
        try:
            munge = pwd.getpwnam("munge")
        except KeyError:
            munge = None
        if os.geteuid() == 0 and munge is not None:
            for p in (mdir, key):
                os.chown(p, munge.pw_uid, munge.pw_gid)
            cmd = ["setpriv", "--reuid", str(munge.pw_uid), "--regid", str(munge.pw_gid),
                   "--clear-groups"] + cmd
        self.spawn("munged", cmd)
        self.wait_for(lambda: os.path.exists(os.path.join(mdir, "munge.sock")), "munged socket")

    def write_conf(self):
        for d in ("state", "spool", "out"):
            os.makedirs(self.path(d))
        cpus = os.cpu_count() or 1
        conf = """\
ClusterName=candortest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={cport}
SlurmdPort={dport}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={dir}/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation={dir}/state
SlurmdSpoolDir={dir}/spool
SlurmctldPidFile={dir}/slurmctld.pid
SlurmdPidFile={dir}/slurmd.pid
SlurmctldLogFile={dir}/slurmctld.log
SlurmdLogFile={dir}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=512 State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=10 State=UP
""".format(host=self.host, cport=free_port(), dport=free_port(), dir=self.dir, cpus=cpus)
        with open(self.path("slurm.conf"), "w") as f:
            f.write(conf)

    def spawn(self, name, cmd):
        log = open(self.path(name + ".stdout"), "wb")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        self.procs.append((name, p))
        return p

    def wait_for(self, cond, what, timeout=30):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            for name, p in self.procs:
                assert p.poll() is None, "%s exited (%s) while waiting for %s:\n%s" % (
                    name, p.returncode, what, self.logs())
            if cond():
                return
            time.sleep(0.2)
        raise AssertionError("timed out waiting for %s:\n%s" % (what, self.logs()))

    def logs(self):
        out = []
        for name in ("munge/munged.log", "slurmctld.log", "slurmd.log", "munged.stdout",
                     "slurmctld.stdout", "slurmd.stdout"):
            p = self.path(name)
            if os.path.exists(p):
                with open(p, errors="replace") as f:
                    out.append("--- %s\n%s" % (name, f.read()[-1500:]))
        return "\n".join(out)

    def run(self, *cmd):
        p = subprocess.run(list(cmd), capture_output=True, env=self.env, timeout=30)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def start(self):
        self.start_munge()
        self.write_conf()
        conf = self.path("slurm.conf")
        self.spawn("slurmctld", [sbin("slurmctld"), "-D", "-c", "-f", conf])
        self.spawn("slurmd", [sbin("slurmd"), "-D", "-f", conf, "-N", self.host])

        def idle():
            code, out, _ = self.run("sinfo", "-h", "-N", "-o", "%T")
            return code == 0 and out.strip() in ("idle", "idle*") and "*" not in out
        self.wait_for(idle, "the node to be idle")

    def stop(self):
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for name, p in reversed(self.procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def sbatch(self, *args, env=None):
        full = dict(self.env)
        full.update(env or {})
        p = subprocess.run(["sbatch", "--parsable"] + list(args), capture_output=True, env=full,
                           timeout=30)
        assert p.returncode == 0, p.stderr.decode(errors="replace") + self.logs()
        return p.stdout.decode().strip().split(";")[0]

    def states(self, job):
        """{job id: (state, reason)} of the job (array tasks one by one), from squeue."""
        code, out, err = self.run("squeue", "-h", "-r", "-j", job, "-o", "%i|%T|%r")
        assert code == 0 or "Invalid job id" in err, err
        return {l.split("|")[0]: tuple(l.split("|")[1:]) for l in out.splitlines() if l}


def submit_run(cl, data, candor_bin, tag):
    env = {"CANDOR": candor_bin, "CANDOR_CONFIG": DEMO_CONFIG, "CANDOR_LEXICON": LEXICON,
           "CANDOR_DATA": data}
    out = cl.path("out")
    # --time: the scripts ask for hours, this partition allows minutes.
    shards = cl.sbatch("--array=0-%d" % (SHARDS - 1), "--time=5", "--chdir", cl.dir,
                       "--job-name", tag + "-shards", "--output", os.path.join(out, tag + "-shard-%a.log"),
                       os.path.join(SLURM_DIR, "candor-shards.sbatch"), *SAMPLES, env=env)
    merge = cl.sbatch("--dependency=afterok:" + shards, "--time=5", "--chdir", cl.dir,
                      "--job-name", tag + "-merge", "--output", os.path.join(out, tag + "-merge.log"),
                      os.path.join(SLURM_DIR, "candor-merge.sbatch"), env=env)
    return shards, merge


def job_logs(cl, tag):
    out = []
    for name in sorted(os.listdir(cl.path("out"))):
        if name.startswith(tag):
            with open(cl.path("out", name), errors="replace") as f:
                out.append("--- %s\n%s" % (name, f.read()[-1000:]))
    return "\n".join(out)


def test_slurm_array_then_merge():
    ensure_packages()
    cl = Cluster()
    try:
        cl.start()
        ref = cl.path("ref")
        code, _, err = candor("replay", "--config", DEMO_CONFIG, "--lexicon", LEXICON, "--data", ref,
                              *SAMPLES)
        assert code == 0, err
        expect = all_bytes(ref)

        # 1. All shards succeed: the merge runs after them and matches the unsharded replay.
        data = cl.path("data")
        shards, merge = submit_run(cl, data, CANDOR, "ok")
        t0 = time.monotonic()
        while cl.states(shards) or cl.states(merge):
            assert time.monotonic() - t0 < DEADLINE, "jobs did not finish: %s %s\n%s\n%s" % (
                cl.states(shards), cl.states(merge), job_logs(cl, "ok"), cl.logs())
            time.sleep(0.5)
        merge_log = cl.path("out", "ok-merge.log")
        assert os.path.exists(merge_log), job_logs(cl, "ok")
        with open(merge_log) as f:
            assert "4 days merged, 0 refused" in f.read(), job_logs(cl, "ok")
        got = all_bytes(data)
        assert sorted(got) == sorted(expect), (sorted(got), job_logs(cl, "ok"))
        for name in expect:
            assert got[name] == expect[name], name
        for day in os.listdir(os.path.join(data, "parts")):
            assert sorted(os.listdir(os.path.join(data, "parts", day))) == \
                ["%d-of-%d" % (i, SHARDS) for i in range(SHARDS)]

        # 2. Shard 1 fails (a wrapper exits 65 for it): the merge never runs.
        wrapper = cl.path("failing-candor.sh")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\nif [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then echo "shard 1 fails" >&2; '
                    'exit 65; fi\nexec "%s" "$@"\n' % CANDOR)
        os.chmod(wrapper, 0o755)
        data2 = cl.path("data2")
        shards, merge = submit_run(cl, data2, wrapper, "fail")
        t0 = time.monotonic()
        while True:
            st = cl.states(merge)
            if not cl.states(shards) and st.get(merge, ("", ""))[1] == "DependencyNeverSatisfied":
                break
            assert time.monotonic() - t0 < DEADLINE, "merge state %s\n%s" % (st, job_logs(cl, "fail"))
            time.sleep(0.5)
        assert cl.states(merge)[merge][0] == "PENDING"
        assert not os.path.exists(cl.path("out", "fail-merge.log"))
        assert not os.path.exists(os.path.join(data2, "daily"))
        # The other shards did their parts; shard 1's are absent.
        for day in os.listdir(os.path.join(data2, "parts")):
            assert sorted(os.listdir(os.path.join(data2, "parts", day))) == \
                ["%d-of-%d" % (i, SHARDS) for i in range(SHARDS) if i != 1]
        code, _, err = cl.run("scancel", merge)
        assert code == 0, err
        # And merging by hand refuses every day (exit 65), publishing nothing.
        code, _, err = candor("merge", "--data", data2)
        assert code == 65 and "missing part 1-of-%d" % SHARDS in err, (code, err)
        assert not os.path.exists(os.path.join(data2, "daily")) or not os.listdir(os.path.join(data2, "daily"))
    finally:
        cl.stop()


if __name__ == "__main__":
    run_tests([test_slurm_array_then_merge])
