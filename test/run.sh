#!/usr/bin/env bash
# The whole test suite: one real Meilisearch for the run, every test file listed explicitly
# (node --test given a folder runs nothing on Node 20), and a failure when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

endpoint_file=$(mktemp)
rm -f "$endpoint_file"
node --import tsx test/support/meili-server.ts "$endpoint_file" &
meili_pid=$!
cleanup() { kill -TERM "$meili_pid" 2>/dev/null; wait "$meili_pid" 2>/dev/null; rm -f "$endpoint_file"; }
trap cleanup EXIT

for _ in $(seq 1 300); do [ -s "$endpoint_file" ] && break; sleep 0.1; done
if [ ! -s "$endpoint_file" ]; then echo "test harness: Meilisearch did not start" >&2; exit 1; fi
TEST_MEILI_URL=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).url)" "$endpoint_file")
TEST_MEILI_KEY=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).apiKey)" "$endpoint_file")
export TEST_MEILI_URL TEST_MEILI_KEY

shopt -s nullglob
files=(test/unit/*.test.ts test/integration/*.test.ts test/web/*.test.ts test/browser/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then echo "test harness: no test files found" >&2; exit 1; fi

log=$(mktemp)
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout "${files[@]}" | tee "$log"
status=${PIPESTATUS[0]}
ran=$(grep -E '^ℹ tests [0-9]+' "$log" | tail -1 | awk '{print $3}')
passed=$(grep -E '^ℹ pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
failed=$(grep -E '^ℹ fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
rm -f "$log"
if [ -z "$ran" ] || [ "$ran" -eq 0 ]; then echo "test harness: no test ran" >&2; exit 1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
