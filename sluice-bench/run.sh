#!/usr/bin/env bash
# Runs the benchmarks of this module, building them first if needed.
#   sluice-bench/run.sh jmh [JMH options]             JMH benchmarks (e.g. -f 1 -wi 2 -i 3 LogAppend)
#   sluice-bench/run.sh compare-kafka [options]       Apache Kafka 4.4 vs Sluice on this machine
#   sluice-bench/run.sh compare-streams [EVENTS]      the pipeline benchmark as Kafka Streams on Kafka vs Sluice
#   sluice-bench/run.sh compare-kafka-stage [EVENTS [ROUNDS]]  a stage on Kafka: Sluice vs hand-written loop vs Kafka Streams
#     options: --records N --value-bytes B --partitions P --fsync-records N --rates 10000,100000 --seconds S
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/sluice-bench/target"
if [ ! -f "$TARGET/classpath.txt" ] || [ -n "$(find "$ROOT"/sluice-*/src/main "$ROOT"/sluice-*/pom.xml -newer "$TARGET/classpath.txt" -print -quit)" ]; then
  echo "building the benchmarks ..." >&2
  "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl sluice-bench -am -DskipTests -Dspotless.check.skip=true package >&2
fi
CP="$TARGET/classes:$(cat "$TARGET/classpath.txt")"
what="${1:-}"
shift || true
case "$what" in
  jmh) exec java -cp "$CP" org.openjdk.jmh.Main "$@" ;;
  compare-kafka) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.KafkaComparison "$@" ;;
  compare-streams) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.StreamsComparison "$@" ;;
  compare-kafka-stage) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.KafkaStageComparison "$@" ;;
  *) echo "usage: $0 jmh [JMH options] | compare-kafka [options] | compare-streams [EVENTS] | compare-kafka-stage [EVENTS [ROUNDS]]" >&2; exit 2 ;;
esac
