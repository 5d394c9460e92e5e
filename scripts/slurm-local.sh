#!/bin/bash
# Runs docs/grading.md's Slurm job array for real on a private single-node Slurm cluster:
# its own munged (own socket), slurmctld and slurmd (own ports, state and logs) under a
# temporary folder, so that nothing of the machine's own Slurm is used or changed. Then it
# checks what the page promises: the merged report equals an unsharded run's (timings
# aside), one index can be re-run, a failed shard cancels the merge, and merge refuses a
# stale shard. Needs root (slurmd) and Debian's slurm-wlm; not part of CI.
#   scripts/slurm-local.sh [CLASS [LESSONS [N]]]     (default: the test fixture class, 3 shards)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
class=${1:-$repo/Tests/Fixtures/class/students}
lessons=${2:-$repo/Tests/Fixtures/class/Lessons}
shards=${3:-3}
for tool in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$tool" >/dev/null || { echo "slurm-local: $tool not found; install Debian's slurm-wlm (apt-get install slurm-wlm)" >&2; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-local: slurmd must run as root" >&2; exit 77; }
bin=$(dirname "$(command -v lessons 2>/dev/null || echo "$repo/.build/debug/lessons")")
[ -x "$bin/lessons" ] || { echo "slurm-local: build lessons first (swift build)" >&2; exit 2; }
export PATH="$bin:$PATH"

top=$(mktemp -d "${TMPDIR:-/tmp}/lessons-slurm-$$-XXXX")
mkdir -p "$top/state" "$top/spool" "$top/work"
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
port=$(( 20000 + $$ % 20000 ))
cleanup() {
    for daemon in slurmd slurmctld munged; do
        [ -f "$top/$daemon.pid" ] && kill "$(cat "$top/$daemon.pid")" 2>/dev/null || true
    done
    sleep 1
}
trap cleanup EXIT

munged --socket="$top/munge.sock" --pid-file="$top/munged.pid" --log-file="$top/munged.log" \
       --seed-file="$top/munged.seed" --key-file=/etc/munge/munge.key --force
cat > "$top/slurm.conf" <<CONF
ClusterName=lessons$$
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$top/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$top/state
SlurmdSpoolDir=$top/spool
SlurmctldPidFile=$top/slurmctld.pid
SlurmdPidFile=$top/slurmd.pid
SlurmctldLogFile=$top/slurmctld.log
SlurmdLogFile=$top/slurmd.log
ProctrackType=proctrack/linuxproc
# task/affinity binds each task to the CPUs it was given: lessons grade sizes --jobs and pins
# its workers from the CPUs it may use, so without binding every shard would use them all.
TaskPlugin=task/affinity
SchedulerType=sched/backfill
SelectType=select/cons_tres
# Memory is a consumable: a job without --mem-per-cpu would take the whole node's memory
# and the shards would run one after the other.
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=lessons Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$top/slurm.conf
slurmctld -i
slurmd
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo

wait_for() {  # job ids: until none is pending or running
    while squeue -h -j "$1" 2>/dev/null | grep -q .; do sleep 2; done
}
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1; }

# A copy of the class: the last check changes it between two runs.
cp -a "$class" "$top/class"
class=$top/class
cd "$top/work"
echo "== the documented run: $shards shards, then the merge"
out=$("$repo/scripts/slurm/submit.sh" "$class" "$lessons" "$shards")
echo "$out"
array=$(echo "$out" | sed -n 's/^array job \([0-9]*\).*/\1/p')
merge=$(echo "$out" | sed -n 's/.*merge job \([0-9]*\);.*/\1/p')
squeue
wait_for "$array"; wait_for "$merge"
echo "merge: $(state "$merge")"
ls -l "reports/$array"
lessons grade "$class" --lessons "$lessons" --quiet --format json --output whole.json || true
strip() { sed -E 's/"seconds" : [0-9.e+-]+/"seconds" : 0/' "$1"; }
if diff <(strip "reports/$array/report.json") <(strip whole.json) >/dev/null; then
    echo "merged report == unsharded report (timings aside)"
else
    echo "MERGED REPORT DIFFERS from the unsharded one"; diff <(strip "reports/$array/report.json") <(strip whole.json) | head -20; exit 1
fi

echo "== re-running index 2 alone into the same run"
rerun=$(sbatch --parsable --array=2 --export="ALL,SHARDS=$shards,CLASS=$class,LESSONS=$lessons,RUN=$array" "$repo/scripts/slurm/grade-shard.sbatch")
wait_for "${rerun%%;*}"
echo "re-run: $(state "${rerun%%;*}")"
lessons grade merge "reports/$array"/shard-*.json --format json --output "reports/$array/report-again.json"
diff <(strip "reports/$array/report.json") <(strip "reports/$array/report-again.json") >/dev/null && echo "merge after the re-run: identical"

echo "== a failing shard cancels the merge (--kill-on-invalid-dep=yes)"
bad=$(sbatch --parsable --array=1-2 --export="ALL,SHARDS=2,CLASS=/nonexistent,LESSONS=$lessons" "$repo/scripts/slurm/grade-shard.sbatch")
bad=${bad%%;*}
badmerge=$(sbatch --parsable --dependency="afterok:$bad" --kill-on-invalid-dep=yes --export="ALL,RUN=$bad" "$repo/scripts/slurm/merge.sbatch")
wait_for "$bad"; sleep 3; wait_for "${badmerge%%;*}"
echo "shards: $(state "$bad"); merge: $(state "${badmerge%%;*}")"

echo "== merge refuses a stale shard from another run (a student added in between)"
mkdir -p "$class/zed" && cp -a "$class/alice/." "$class/zed/"
second=$("$repo/scripts/slurm/submit.sh" "$class" "$lessons" "$shards" | sed -n 's/^array job \([0-9]*\).*/\1/p')
wait_for "$second"; sleep 2; squeue
mkdir -p stale && cp "reports/$array/shard-1.json" stale/ && cp "reports/$second"/shard-[2-9]*.json stale/
lessons grade merge stale/shard-*.json --format json --output /dev/null && echo "stale shard merged (unexpected)" || echo "stale shard refused (exit $?)"
echo "logs: $top/work/logs"
