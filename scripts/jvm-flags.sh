# The environment and JVM flags every launcher (and the benchmarks' JVM) runs with.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
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
# JVM warnings go to stderr, so stdout carries only the command's output and report.
JVM_LOG=(-Xlog:disable "-Xlog:all=warning,cds*=off:stderr")
