#!/usr/bin/env bash
# Fails if a module includes a header of a module it must not depend on (aesthetics.md §2.1):
#   cases → solver, postproc, mesh, materials;  solver → mesh, materials;  postproc → mesh;
#   mesh, materials → nothing.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
declare -A allowed=(
  [mesh]="mesh"
  [materials]="materials"
  [solver]="solver mesh materials"
  [postproc]="postproc mesh"
  [cases]="cases solver postproc mesh materials"
)
status=0
for module in "${!allowed[@]}"; do
  while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    case " ${allowed[$module]} " in
      *" $target "*) ;;
      *) echo "layering: $file includes $target/ (allowed: ${allowed[$module]})"; status=1 ;;
    esac
  done < <(grep -rHE '#include "(mesh|materials|solver|postproc|cases)/' "$root/$module" 2>/dev/null)
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
