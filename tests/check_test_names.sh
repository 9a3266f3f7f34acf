#!/usr/bin/env bash
# A doctest case name with ';' is split by CMake's list syntax in doctest_discover_tests: ctest
# then registers the pieces, each of which matches no case, runs nothing and passes. This check
# fails on any such name, so every TEST_CASE really runs under ctest.
set -euo pipefail
cd "$(dirname "$0")"
bad=$(grep -rnE 'TEST_CASE\("[^"]*;[^"]*"' --include='*.cpp' . || true)
if [[ -n "$bad" ]]; then
  echo "test names: a TEST_CASE name contains ';' (ctest would run none of it; use ',' instead):"
  echo "$bad"
  exit 1
fi
echo "test names: ok"
