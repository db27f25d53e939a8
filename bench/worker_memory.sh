#!/usr/bin/env bash
# Memory of `assistd serve` with service.workers = 1, 2, 4 (or the counts given): RSS and PSS of
# the master and each worker from /proc/PID/smaps_rollup, once every worker is ready and the
# server has answered 3 concurrent completions per worker (so the weights have been read).
# PSS divides each shared page among the processes that map it, so the PSS total is what the
# server costs the host; RSS counts shared pages (the weights) once per process.
#
#   bench/worker_memory.sh MODEL.gguf [WORKERS...]      (ASSISTD_BINARY, default build/assistd)
set -euo pipefail
model=${1:?usage: $0 MODEL.gguf [WORKERS...]}
shift
counts=("${@:-1 2 4}")
binary=${ASSISTD_BINARY:-build/assistd}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
key=$(ASSISTD_STORAGE_DATA_DIR="$data" "$binary" keys create --name bench --scopes all)

mib() { awk -v kib="$1" 'BEGIN { printf "%.1f", kib / 1024 }'; }

kib() {  # kib PID FIELD: the field of smaps_rollup, in KiB
    awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/smaps_rollup"
}

printf '%-8s %-8s %-8s %10s %10s\n' workers process pid 'RSS MiB' 'PSS MiB'
for workers in ${counts[*]}; do
    log="$data/serve-$workers.log"
    ASSISTD_STORAGE_DATA_DIR="$data" ASSISTD_SERVICE_WORKERS=$workers \
        "$binary" serve --port 0 --model "$model" >"$log" 2>&1 &
    master=$!
    ready="listening on"
    [ "$workers" -gt 1 ] && ready="$workers workers ready"
    for _ in $(seq 600); do grep -q "$ready" "$log" && break; sleep 0.1; done
    grep -q "$ready" "$log" || { cat "$log"; exit 1; }
    url=$(grep -o 'listening on http://[0-9.:]*' "$log" | head -1 | cut -d' ' -f3)
    requests=()
    for _ in $(seq $((3 * workers))); do
        curl -s -o /dev/null -H "Authorization: Bearer $key" -H 'content-type: application/json' \
            -d "{\"model\":\"$(basename "$model" .gguf)\",\"prompt\":\"Once\",\"max_tokens\":4}" \
            "$url/v1/completions" &
        requests+=($!)
    done
    wait "${requests[@]}"
    sleep 1
    rss_total=0 pss_total=0
    for pid in $master $(pgrep -P "$master" || true); do
        role=worker
        [ "$pid" = "$master" ] && role=$([ "$workers" -gt 1 ] && echo master || echo server)
        rss=$(kib "$pid" Rss) pss=$(kib "$pid" Pss)
        rss_total=$((rss_total + rss)) pss_total=$((pss_total + pss))
        printf '%-8s %-8s %-8s %10s %10s\n' "$workers" "$role" "$pid" "$(mib "$rss")" "$(mib "$pss")"
    done
    printf '%-8s %-8s %-8s %10s %10s\n' "$workers" total '' "$(mib "$rss_total")" "$(mib "$pss_total")"
    kill -TERM "$master"
    wait "$master" || true
done
