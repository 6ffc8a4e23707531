#!/usr/bin/env bash
# Runs the benchmarks of this module, building them first if needed.
#   sluice-bench/run.sh jmh [JMH options]             JMH benchmarks (e.g. -f 1 -wi 2 -i 3 LogAppend)
#   sluice-bench/run.sh compare-kafka [options]       Apache Kafka 4.4 vs Sluice on this machine
#   sluice-bench/run.sh compare-streams [EVENTS]      the pipeline benchmark as Kafka Streams on Kafka vs Sluice
#   sluice-bench/run.sh compare-kafka-stage [EVENTS [ROUNDS]]  a stage on Kafka: Sluice vs hand-written loop vs Kafka Streams
#     options: --records N --value-bytes B --partitions P --fsync-records N --rates 10000,100000 --seconds S
#   sluice-bench/run.sh compare-windows [EVENTS [KEYS [ROUNDS]]]  a windowed count in-process: Sluice vs Flink vs Kafka Streams
#     (defaults 10000000 1000000 3; JAVA_OPTS passes e.g. -Dflink.parallelism=2 -Dwindows.engines=sluice,sluice2,flink
#     -Dwindows.streams.emit=suppress -Dwindows.warmup=0)
#   sluice-bench/run.sh compare-pipelines [EVENTS [ROUNDS]] [--json]  the Sluice app (run --until-done) vs Flink jobs
#     vs a hand-written loop, each its own process under /usr/bin/time, on the same click file: W1 stateless, W2
#     windowed; outputs checked (defaults 10000000 1; see sluice-bench/pipelines/README.md; JAVA_OPTS passes e.g.
#     -Dpipelines.engines=sluice,flink -Dpipelines.workloads=w2 -Dpipelines.idleTimeout=60 -Dpipelines.keep=true)
#   sluice-bench/run.sh parquet-sink [EVENTS [ROUNDS [parsed,json]]]  the Parquet sink on its own: 10-field events to zstd files
#   sluice-bench/run.sh mqtt-source [MESSAGES [VERSION [ROUNDS [tuned]]]]  QoS 1 messages from the local Mosquitto
#     into a topic; with "tuned", from a private Mosquitto without in-flight and queue limits
#   sluice-bench/run.sh cdc-source [CHANGES [ROUNDS]]  row changes from a private PostgreSQL (logical) into a topic
#   sluice-bench/run.sh compare-http [SECONDS [CONNECTIONS [STALLED]]]  the HTTP server libraries Sluice could use:
#     JDK, Jetty 12, Undertow 2.4, same handler: requests/s, p99, and a request beside stalled connections
#   sluice-bench/run.sh ingest [SECONDS [CONNECTIONS [BATCH]]]  HTTP ingest through ./sluice run: single events,
#     batches and a paced 5,000 requests/s, every event fsynced before its answer
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/sluice-bench/target"
if [ ! -f "$TARGET/classpath.txt" ] || [ -n "$(find "$ROOT"/sluice-*/src/main "$ROOT"/sluice-*/pom.xml -newer "$TARGET/classpath.txt" -print -quit)" ]; then
  echo "building the benchmarks ..." >&2
  "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl sluice-bench -am -DskipTests -Dspotless.check.skip=true package >&2
  touch "$TARGET/classpath.txt" # the dependency plugin leaves it alone when the class path did not change
fi
CP="$TARGET/classes:$(cat "$TARGET/classpath.txt")"
# the --add-opens/--add-exports Flink's own launcher passes on Java 17
flink_opens() {
  local opens="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
  for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
    java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
    opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
  done
  echo "$opens"
}
what="${1:-}"
shift || true
case "$what" in
  jmh) exec java -cp "$CP" org.openjdk.jmh.Main "$@" ;;
  compare-kafka) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.KafkaComparison "$@" ;;
  compare-streams) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.StreamsComparison "$@" ;;
  compare-kafka-stage) exec java -Xmx2g -cp "$CP" dev.sluice.bench.kafka.KafkaStageComparison "$@" ;;
  compare-windows)
    # shellcheck disable=SC2046
    exec java -Xmx6g $(flink_opens) ${JAVA_OPTS:-} -cp "$CP" dev.sluice.bench.windows.WindowComparison "$@" ;;
  compare-pipelines)
    # Sluice runs through its launcher; building it now (when the jar is missing or stale) keeps the build out of
    # the timed run
    "$ROOT/sluice" --version >/dev/null
    # JAVA_OPTS last, so that it can override these (the last -D of a name wins)
    # shellcheck disable=SC2086
    exec java -Xmx1g -Dpipelines.dir="$ROOT/sluice-bench/pipelines" -Dpipelines.sluiceLauncher="$ROOT/sluice" \
      -Dpipelines.work="$TARGET" -Dpipelines.flinkJvm="$(flink_opens)" \
      ${JAVA_OPTS:-} -cp "$CP" dev.sluice.bench.pipelines.PipelineComparison "$@" ;;
  cdc-source) exec java -Xmx2g -cp "$CP" dev.sluice.bench.cdc.CdcSourceBench "$@" ;;
  compare-http) exec java -Xmx1g -cp "$CP" dev.sluice.bench.http.HttpServerComparison "$@" ;;
  ingest)
    "$ROOT/sluice" --version >/dev/null # build the app now, outside the measurement
    # shellcheck disable=SC2086
    exec java -Xmx1g -Dingest.sluiceLauncher="$ROOT/sluice" -Dingest.work="$TARGET" ${JAVA_OPTS:-} -cp "$CP" \
      dev.sluice.bench.http.IngestBenchmark "$@" ;;
  mqtt-source) exec java -Xmx2g -cp "$CP" dev.sluice.bench.mqtt.MqttSourceBench "$@" ;;
  parquet-sink) exec java -Xmx6g -cp "$CP" dev.sluice.bench.parquet.ParquetSinkBench "$@" ;;
  *) echo "usage: $0 jmh [JMH options] | compare-kafka [options] | compare-streams [EVENTS] | compare-kafka-stage [EVENTS [ROUNDS]] | compare-windows [EVENTS [KEYS [ROUNDS]]] | compare-pipelines [EVENTS [ROUNDS]] [--json] | parquet-sink [EVENTS [ROUNDS [parsed,json]]] | mqtt-source [MESSAGES [VERSION [ROUNDS [tuned]]]] | cdc-source [CHANGES [ROUNDS]] | compare-http [SECONDS [CONNECTIONS [STALLED]]] | ingest [SECONDS [CONNECTIONS [BATCH]]]" >&2; exit 2 ;;
esac
