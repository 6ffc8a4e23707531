#!/usr/bin/env bash
# The demo for now: publish a sample file to the embedded broker and read it back, alone and as a consumer group.
# (The pipeline issue replaces this with `./sluice run examples/clickstream.yaml`.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${SLUICE_DEMO_DIR:-./data/demo}"
S="./sluice --data-dir $DATA"
rm -rf "$DATA"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step sluice topics create orders --partitions 4 --config retention.ms=7d
$S topics create orders --partitions 4 --config retention.ms=7d
step sluice produce orders --file examples/orders.jsonl --key-field customer --timestamp-field ts
$S produce orders --file examples/orders.jsonl --key-field customer --timestamp-field ts
step sluice topics describe orders
$S topics describe orders
step "sluice consume orders --from-time 2026-11-25T09:05:00Z --print-key"
$S consume orders --from-time 2026-11-25T09:05:00Z --print-key
step sluice consume orders --group billing --max 5 --json
$S consume orders --group billing --max 5 --json
step sluice groups describe billing
$S groups describe billing
step "sluice consume orders --group billing    # resumes where the group stopped"
$S consume orders --group billing
step sluice groups describe billing
$S groups describe billing
printf '\nThe data is in %s; run ./sluice --help to explore.\n' "$DATA"
