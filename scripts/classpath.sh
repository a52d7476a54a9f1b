# Sourced by the launchers: finds (or builds) the fat jar and the Spark classpath from the
# Maven build, since these machines have no Spark distribution.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAKEHOUSE_JAR=$(ls "$ROOT"/target/lakehouse-ops-*.jar 2>/dev/null | grep -m 1 -v -e original -e tests || true)
if [ -n "$LAKEHOUSE_JAR" ] && [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$LAKEHOUSE_JAR" -print -quit)" ]; then
  LAKEHOUSE_JAR=""  # sources changed since the jar was built
fi
if [ -z "$LAKEHOUSE_JAR" ]; then
  echo "lakehouse-ops: building the jar first (mvn -DskipTests package)..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package >&2)
  LAKEHOUSE_JAR=$(ls "$ROOT"/target/lakehouse-ops-*.jar | grep -m 1 -v -e original -e tests)
fi
SPARK_CLASSPATH_FILE="$ROOT/target/spark-classpath.txt"
if [ ! -s "$SPARK_CLASSPATH_FILE" ] || [ "$ROOT/pom.xml" -nt "$SPARK_CLASSPATH_FILE" ]; then
  # Spark and everything it brings: the "provided" scope of the build.
  (cd "$ROOT" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$SPARK_CLASSPATH_FILE" >&2)
fi
SPARK_CLASSPATH=$(cat "$SPARK_CLASSPATH_FILE")
source "$ROOT/scripts/jvm-flags.sh"

# Runs java with class-data sharing (CDS): the classes a run loads (Spark, Hadoop, Scala, ...)
# are mapped from an archive instead of read and verified again, which takes a short run's
# start from about 8 s to 4 s. The first run after a build writes target/NAME.jsa; a rebuilt
# jar or classpath makes the next run write it again (a stale archive is only ignored by the
# JVM, never wrong). LAKEHOUSE_CDS=false turns it off. Usage: run_java NAME java-args...
run_java() {
  local archive="$ROOT/target/$1.jsa"
  shift
  if [ "${LAKEHOUSE_CDS:-true}" != true ]; then
    exec java "${JVM_LOG[@]}" "$@"
  fi
  if [ -s "$archive" ] && [ "$archive" -nt "$LAKEHOUSE_JAR" ] && [ "$archive" -nt "$SPARK_CLASSPATH_FILE" ]; then
    exec java "${JVM_LOG[@]}" -XX:SharedArchiveFile="$archive" "$@"
  fi
  # Written under a name of its own, then moved: concurrent first runs never mix their archives.
  local fresh="$archive.$$"
  local code=0
  java "${JVM_LOG[@]}" -XX:ArchiveClassesAtExit="$fresh" "$@" || code=$?
  if [ -s "$fresh" ]; then mv -f "$fresh" "$archive"; else rm -f "$fresh"; fi
  exit "$code"
}
