#!/usr/bin/env bash
# Results that cannot be written give a clear one-line error and exit code 4, and leave
# nothing under the final names nor any temporary:
#   - an output folder that cannot be created (its parent is a regular file);
#   - a read-only file system (a read-only tmpfs; skipped if mount is not permitted);
#   - a full disk: a 1 MiB tmpfs that holds one small run's results but not a finer run's
#     (skipped if mount is not permitted); the earlier results must survive intact;
#   - the same failure by fault injection, which needs no privileges: a file-size limit
#     (ulimit -f, with SIGXFSZ ignored) makes every write past 64 KiB fail with EFBIG.
#   output_errors.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT
write_slab_case coarse.toml 4000 1000 500 250 'linear_solver = "direct"'  # 8 x 8 x 4 cells
write_slab_case fine.toml 4000 1000 100 50 'linear_solver = "jacobi_cg"'  # 40 x 40 x 20 cells

# Runs `case` into `out` (with an optional command prefix) and expects exit 4 and `reason`.
expect_output_error() {
  local label=$1 case=$2 out=$3 reason=$4
  shift 4
  "$@" "$cposim" run "$case" --out "$out" >/dev/null 2>"$label.stderr"
  local code=$?
  echo "$label: exit $code: $(tail -n 1 "$label.stderr")"
  check; [ "$code" -eq 4 ] || fail "$label: exit code $code, expected 4"
  check; grep -q "^$case: error: cannot write results to '$out': .*$reason" "$label.stderr" ||
    fail "$label: stderr lacks '$reason': $(cat "$label.stderr")"
  check; [ "$(wc -l <"$label.stderr")" -eq 2 ] || fail "$label: error is not one line"
  check; if compgen -G "$out/*.tmp-*" >/dev/null; then fail "$label: temporaries left"; fi
}

touch plain_file
expect_output_error "folder under a file" coarse.toml plain_file/out "Not a directory"
check; [ ! -e plain_file/out ] || fail "folder under a file: something was created"

mount_tmpfs() {  # mount_tmpfs DIR OPTIONS: 0 if mounted
  mkdir -p "$1" && mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null && mounts+=("$1")
}

if mount_tmpfs readonly ro,size=64k; then
  expect_output_error "read-only file system" coarse.toml readonly "Read-only file system"
else
  echo "SKIP: read-only file system (mount not permitted here)"
fi

if mount_tmpfs small_disk size=1m; then
  "$cposim" run coarse.toml --out small_disk >/dev/null 2>&1
  check; [ $? -eq 0 ] || fail "full disk: the small run does not fit"
  before=$(md5sum <small_disk/results.h5)
  expect_output_error "full disk" fine.toml small_disk "No space left on device"
  check; [ "$(md5sum <small_disk/results.h5)" = "$before" ] || fail "full disk: earlier results changed"
  check; [ "$(h5_attribute small_disk/results.h5 num_cells)" = 256 ] || fail "full disk: earlier results unreadable"
else
  echo "SKIP: full tmpfs (mount not permitted here); the file-size limit below covers the same path"
fi

limited() { (trap '' XFSZ; ulimit -f 64; "$@"); }
mkdir -p size_limit
expect_output_error "file-size limit" fine.toml size_limit "File too large" limited
check; [ ! -e size_limit/results.h5 ] || fail "file-size limit: results.h5 left"
finish
