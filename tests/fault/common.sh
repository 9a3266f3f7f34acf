# Shared by the fault tests: failure counting and small self-contained case files.
# Source it after setting cposim and work.
failures=0 checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { checks=$((checks + 1)); }  # count one check; use as: check; [ cond ] || fail msg
finish() {
  echo "$(basename "$0" .sh): $((checks - failures)) of $checks checks passed"
  [ "$failures" -eq 0 ]
}
# One pause in a polling loop. A bare `do :; done` spins a whole core, which on a 2-core CI
# machine halves the CPU of the run being watched (fault_kill_during_write took 618 s of its
# 900 s limit that way under load); 5 ms keeps the timing fine enough for write windows of
# hundreds of ms.
poll_pause() { sleep 0.005; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The value of an integer or string attribute on "/" of an HDF5 file, or "" if it is missing.
h5_attribute() {
  h5dump -a "/$2" "$1" 2>/dev/null | sed -n 's/^ *(0): "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' | head -n 1
}

# A slab with a uniform power under a convective top: a well-posed linear problem. Arguments:
# file, footprint µm, thickness µm, max cell xy µm, max cell z µm, then extra [solver] lines.
write_slab_case() {
  local file=$1 footprint=$2 thickness=$3 cell_xy=$4 cell_z=$5
  shift 5
  {
    echo "title = \"fault test slab\""
    echo "[package]"
    echo "footprint_um = [$footprint, $footprint]"
    echo "[[layers]]"
    echo "name = \"slab\""
    echo "material = \"Cu\""
    echo "thickness_um = $thickness"
    echo "power_W = 10"
    echo "[boundary.top]"
    echo "type = \"convection\""
    echo "h_W_per_m2K = 5000"
    echo "T_ambient_K = 300"
    echo "[grid]"
    echo "max_cell_xy_um = $cell_xy"
    echo "max_cell_z_um = $cell_z"
    echo "[solver]"
    for line in "$@"; do echo "$line"; done
  } >"$file"
}
