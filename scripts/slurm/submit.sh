#!/bin/bash
# Grades a class on Slurm: N array tasks, one shard each, then one merge job.
#   scripts/slurm/submit.sh CLASS LESSONS N
# Run it in the folder that gets logs/ and reports/<array job id>/.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 CLASS LESSONS N" >&2; exit 2; fi
class=$(realpath "$1") lessons=$(realpath "$2") shards=$3
here=$(dirname "$(realpath "$0")")
mkdir -p logs reports    # sbatch --output=logs/… needs logs/ to exist before the job starts
array=$(sbatch --parsable --array="1-$shards" --export="ALL,SHARDS=$shards,CLASS=$class,LESSONS=$lessons" "$here/grade-shard.sbatch")
array=${array%%;*}
# Without --kill-on-invalid-dep=yes a failed shard leaves the merge pending forever
# (DependencyNeverSatisfied); with it, the merge is cancelled and you re-run the shard.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --export="ALL,RUN=$array" "$here/merge.sbatch")
merge=${merge%%;*}
echo "array job $array (shards 1-$shards), merge job $merge; reports in reports/$array/"
echo "if shard K fails: sbatch --array=K --export=ALL,SHARDS=$shards,CLASS=$class,LESSONS=$lessons,RUN=$array $here/grade-shard.sbatch"
echo "  then, once it succeeded: sbatch --export=ALL,RUN=$array $here/merge.sbatch"
