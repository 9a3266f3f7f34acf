#!/usr/bin/env bash
# A real single-node Slurm for the tests, started as root with every file in one temporary folder
# (sourced; needs slurm-wlm and munge: bash scripts/install_deps.sh --with-slurm):
#   slurm_start DIR    munge key + munged, a slurm.conf for this host (no cgroups,
#                      proctrack/linuxproc, task/none, cons_tres), slurmctld + slurmd; waits
#                      until the node is idle; exports SLURM_CONF; returns 1 with the reason
#   slurm_stop         stops the daemons slurm_start started (by their pid files)
# Nothing is written outside DIR; /etc/slurm and /etc/munge are not used. The daemons talk
# over 127.0.0.1 on ports 16817/16818, so the host name need not resolve.

slurm_start() {
  local dir=$1
  SLURM_DIR=$dir
  rm -rf "$dir"
  mkdir -p "$dir"/{munge,spool,state,log}
  chmod 700 "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" \
    --log-file="$dir/log/munged.log" || { echo "slurm_start: munged did not start"; return 1; }
  local host cpus mem_mib
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mib=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 9 / 10))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=cposimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF" -i || { echo "slurm_start: slurmctld did not start"; return 1; }
  slurmd -f "$SLURM_CONF" || { echo "slurm_start: slurmd did not start"; return 1; }
  local state=""
  for _ in $(seq 1 300); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1)
    [ "$state" = "idle" ] && return 0
    sleep 0.1
  done
  echo "slurm_start: the node is not idle after 30 s (state '$state'); logs in $dir/log"
  return 1
}

slurm_stop() {
  local dir=${SLURM_DIR:-}
  [ -n "$dir" ] || return 0
  local f pid
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  return 0
}
