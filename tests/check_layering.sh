#!/usr/bin/env bash
# Checks the include structure (ARCHITECTURE.md, aesthetics.md §2.1). Fails on
#  1. an include against the direction: every file belongs to a layer (a module, or a subfolder
#     of cases/, postproc/ or solver/) and may include only the layers listed for it below;
#  2. an include cycle between components, a component being a header with its source file
#     (x.hpp + x.cpp), so a .cpp that includes a header whose .cpp includes its header back is
#     a cycle too, also inside one subfolder.
# Usage: check_layering.sh [ROOT]   (ROOT defaults to the repository holding this script)
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

lower_modules="solver solver/linear solver/kernels solver/distributed postproc/fields postproc/photonics"
lower_modules+=" postproc/electrical postproc/io postproc/plots mesh materials"
declare -A allowed=(
  [mesh]="mesh"
  [materials]="materials"
  [solver/linear]="solver/linear"
  [solver/kernels]="solver/kernels mesh materials"
  [solver]="solver solver/linear solver/kernels mesh materials"
  [solver/distributed]="solver/distributed solver solver/linear mesh materials"
  [postproc/fields]="postproc/fields mesh"
  [postproc/photonics]="postproc/photonics postproc/fields mesh"
  [postproc/electrical]="postproc/electrical postproc/fields mesh"
  [postproc/io]="postproc/io postproc/fields mesh"
  [postproc/plots]="postproc/plots postproc/io postproc/fields mesh"
  [cases/spec]="cases/spec $lower_modules"
  [cases/read]="cases/read cases/spec $lower_modules"
  [cases/resolve]="cases/resolve cases/read cases/spec $lower_modules"
  [cases/run]="cases/run cases/resolve cases/read cases/spec $lower_modules"
  [cases/report]="cases/report cases/run cases/resolve cases/read cases/spec $lower_modules"
  [cases/sweep]="cases/sweep cases/run cases/resolve cases/read cases/spec $lower_modules"
  [cases/import]="cases/import cases/run cases/resolve cases/read cases/spec $lower_modules"
  [cases/app]="cases/app cases/sweep cases/import cases/report cases/run cases/resolve cases/read
               cases/spec $lower_modules"
)

# The layer of a repository path: a subfolder of cases/, postproc/ or solver/ (solver/ itself
# for files at its root), else the top folder. Empty for a file outside every layer.
layer_of() {
  local path=$1 top rest sub
  top=${path%%/*}
  rest=${path#*/}
  case $top in
    cases | postproc | solver)
      if [[ $rest == */* ]]; then
        sub=${rest%%/*}
        echo "$top/$sub"
      else
        echo "$top"
      fi
      ;;
    mesh | materials) echo "$top" ;;
  esac
}

status=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
cd "$root" || exit 2
while IFS= read -r line; do
  file=${line%%:*}
  target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
  from=$(layer_of "$file")
  to=$(layer_of "$target")
  [[ -z $from || -z $to ]] && continue
  case " $(echo ${allowed[$from]:-}) " in
    *" $to "*) ;;
    *)
      echo "layering: $file includes $target: $from may include only: ${allowed[$from]:-nothing}"
      status=1
      ;;
  esac
  from_unit=${file%.*}
  to_unit=${target%.*}
  [[ $from_unit == "$to_unit" ]] && continue
  echo "$from_unit $to_unit" >>"$edges"
done < <(grep -rHE '^#include "(mesh|materials|solver|postproc|cases)/' \
  mesh materials solver postproc cases --include='*.hpp' --include='*.cpp' --include='*.h')

# Depth-first search over the component graph; every back edge closes a cycle, printed as
# a -> b -> ... -> a.
cycles=$(sort -u "$edges" | awk '
  { next_of[$1] = next_of[$1] " " $2; nodes[$1] = 1; nodes[$2] = 1 }
  function visit(node,   n, i, targets, j) {
    colour[node] = 1
    stack[++depth] = node
    n = split(next_of[node], targets, " ")
    for (i = 1; i <= n; ++i) {
      if (colour[targets[i]] == 1) {
        line = ""
        for (j = 1; j <= depth; ++j) if (stack[j] == targets[i]) break
        for (; j <= depth; ++j) line = line stack[j] " -> "
        print "  " line targets[i]
      } else if (colour[targets[i]] == 0) {
        visit(targets[i])
      }
    }
    --depth
    colour[node] = 2
  }
  END { PROCINFO["sorted_in"] = "@ind_str_asc"; for (node in nodes) if (!colour[node]) visit(node) }')
if [[ -n $cycles ]]; then
  echo "layering: include cycles between components (x.hpp + x.cpp):"
  echo "$cycles"
  status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
