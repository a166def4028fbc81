#!/usr/bin/env bash
# Runs the whole test suite. Ends with the totals alone on a line: "N passed, M failed".
# Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~Crds").
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

# Each phase's wall time is printed at the end (the suite is meant to stay within about 15 minutes on 2 cores).
phase_started=$SECONDS
timings=()
phase_done() { timings+=("$1 $((SECONDS - phase_started)) s"); phase_started=$SECONDS; }

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
phase_done setup

results=.build/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build RecOperator.sln -c Release --nologo -v q -clp:ErrorsOnly
build_rc=$?
if [ $build_rc -eq 0 ]; then
  # The tests start `./recop` (pods, the operator): give it the CLI this build just made, stamped as current, instead of
  # letting its first caller build the CLI a second time (about a minute on 2 cores, while the tests run).
  mkdir -p .build/recop && cp -r src/Cli/bin/Release/net10.0/. .build/recop/ && touch .build/recop/.stamp
fi
phase_done build
if [ $build_rc -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Every test and every process it starts puts its temp files under one folder, removed when the run ends, so tests
# that do not clean up after themselves (built models, caches, data directories) or are killed leave nothing in /tmp.
test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/recop-tests.XXXXXX")
trap 'rm -rf "$test_tmp"' EXIT
export TMPDIR="$test_tmp"

run_tests() {
  dotnet test "$@" -c Release --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
}
if [ $# -eq 0 ]; then
  # Every project in parallel, then the end-to-end tests by themselves: they judge p99 under load, which other test
  # projects running beside them on two cores would decide instead of the code under test. They run in lanes of
  # their own: the resilience tests in two lanes side by side, then the demo's runs alone
  # (tests/RecOperator.Demo.Tests/Resilience/OperatorOutagesCollection.cs says why).
  run_tests RecOperator.sln --filter "Category!=EndToEnd"
  test_rc=$?
  phase_done tests
  run_tests tests/RecOperator.Demo.Tests --filter "Category=EndToEnd"
  e2e_rc=$?
  phase_done end-to-end
  [ $e2e_rc -ne 0 ] && test_rc=$e2e_rc
else
  run_tests RecOperator.sln "$@"
  test_rc=$?
  phase_done tests
fi

# Totals from the TRX files every test assembly writes; a crashed test host counts as a failure.
passed=0; failed=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f_=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f_:-0} + ${e:-0}))
done
# The failed tests by name, once more just above the totals: CI keeps only the end of the output.
if [ $failed -gt 0 ]; then
  echo "Failed tests:"
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$f" | sed -n 's/.* testName="\([^"]*\)".*/  \1/p'
  done
  echo "Why (the start of each failure's message):"
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    awk -f scripts/trx-failures.awk "$f"
  done
fi
if [ $test_rc -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
joined=$(IFS=,; echo "${timings[*]}")
echo "time: ${joined//,/, }"
echo "$passed passed, $failed failed"
[ $test_rc -eq 0 ] && [ $failed -eq 0 ]
