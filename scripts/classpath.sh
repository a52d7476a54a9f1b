# Sourced by the launchers: finds (or builds) the fat jar and the Spark classpath from the
# Maven build, since these machines have no Spark distribution.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
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
# What spark-submit adds itself on Java 17.
JAVA_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
)
LOG_CONFIG=(-Dlog4j2.configurationFile="${LAKEHOUSE_LOG_CONFIG:-$ROOT/conf/log4j2.properties}")
