#!/usr/bin/env bash
# Benchmarks (not tests): each against a baseline run in the same JVM on the same data, on
# TPC-H lineitem generated as raw Avro (bench/tpch-generator) plus the project's own jobs.
#   scripts/bench.sh [--scale small|medium] [--only P1,P2,P3,P4,P5,E1,P6,P7,P8,P9,P9-deletes,floor,cluster]
# small: scale factor 0.1 (600,000 rows), a quick check of P1-P6; medium: scale factor 1 (6 M
# rows), P1-P6 and the no-op floors. The floors launch a JVM per subcommand and do not depend
# on the scale: `--only floor` measures them alone.
# Prints the table and writes target/bench/results.json and target/bench/results.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

scale=small
only=
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="${2:-}"; shift 2 ;;
    --scale=*) scale="${1#--scale=}"; shift ;;
    --only) only="${2:-}"; shift 2 ;;
    *) echo "bench.sh: unknown argument '$1'; usage: scripts/bench.sh [--scale small|medium] [--only P1,P2,...]" >&2; exit 2 ;;
  esac
done
case "$scale" in
  small) factor=0.1; only=${only:-P1,P2,P3,P4,P5,E1,P6,P7,P8,P9} ;;
  medium) factor=1; only=${only:-P1,P2,P3,P4,P5,E1,P6,P7,P8,P9,floor} ;;
  *) echo "bench.sh: unknown --scale '$scale': use small or medium" >&2; exit 2 ;;
esac

for id in ${only//,/ }; do
  case "$id" in
    P1|P2|P3|P4|P5|E1|P6|P7|P8|P9|P9-deletes|floor|cluster) ;;
    *) echo "bench.sh: unknown benchmark '$id' in --only: use P1, P2, P3, P4, P5, E1, P6, P7, P8, P9, P9-deletes, floor or cluster" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
# The suite runs from the compiled classes: compile what changed. The jar the no-op floors
# launch is rebuilt by the launcher, and only when the sources are newer than it (shading it
# again takes seconds to a minute). The classpaths are kept until their pom changes. Maven is not
# started at all when nothing changed since the last compile (its start alone is seconds).
compiled=target/bench/compiled.stamp
if [ ! -e "$compiled" ] || [ -n "$(find src conf pom.xml -newer "$compiled" -print -quit)" ]; then
  mvn -B -q -DskipTests -Dairflow.checks.skip test-compile
  mkdir -p target/bench && touch "$compiled"
fi
classpath=target/bench/classpath.txt
if [ ! -s "$classpath" ] || [ pom.xml -nt "$classpath" ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
fi
# The generator has its own classpath: io.trino.tpch needs a newer Guava than Spark's.
generator=bench/tpch-generator
if [ ! -s "$generator/target/classpath.txt" ] \
    || [ -n "$(find "$generator/src" "$generator/pom.xml" -newer "$generator/target/classpath.txt" -print -quit)" ]; then
  (cd "$generator" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
fi
echo "bench: built in $(( $(date +%s) - started )) s"

data="$ROOT/target/bench/data-sf$factor/lineitem"
if [ ! -d "$data" ]; then
  echo "bench: generating lineitem at scale factor $factor ..."
  java -cp "bench/tpch-generator/target/classes:$(cat bench/tpch-generator/target/classpath.txt)" \
    io.lakehouseops.bench.tpch.LineitemAvroWriter "$factor" "$data.tmp" bench/lineitem.avsc
  mv "$data.tmp" "$data"
fi

# The flags only: the jar is built by the launcher when the floors need it, not for P1-P6.
source scripts/jvm-flags.sh
# The throughput collector: on 2 cores G1's concurrent threads took about a tenth of a quick
# check's CPU time from the tasks (subjects and baselines alike: they share this JVM).
java -Xmx8g -XX:+UseParallelGC "${JVM_LOG[@]}" "${JAVA_OPENS[@]}" "${LOG_CONFIG[@]}" -Dlog4j2.level=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" \
  io.lakehouseops.bench.BenchMain --scale "$scale" --only "$only" --data "$data" --contract bench/lineitem.avsc \
  --out target/bench --launcher "$ROOT/scripts/lakehouse-ops"
echo "bench: $scale finished in $(( $(date +%s) - started )) s"
# One chart per benchmark family, for docs/performance.md (copy them there with the table).
python3 scripts/bench-charts.py target/bench/results.json target/bench/charts
