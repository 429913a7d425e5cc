#!/bin/sh
# Prepares the server jar for a fast start (docs/operations.md, "Start time"): Spring Boot's extracted layout (no
# nested-jar class loading) plus a class-data-sharing archive recorded by a training run, so the JVM maps the classes
# Dimmer loads at start-up instead of reading, verifying and parsing them again on every start.
#
#   deploy/fast-start.sh server/target/dimmer-server-*-exec.jar /opt/dimmer
#   java -XX:SharedArchiveFile=/opt/dimmer/dimmer.jsa -XX:+ExitOnOutOfMemoryError -jar /opt/dimmer/dimmer-server.jar
#
# Rerun it whenever the jar or the JDK changes: the JVM ignores (with a warning) an archive made for another
# class path or JDK, and then simply starts at the normal speed.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 <dimmer-server-*-exec.jar> <destination directory>" >&2
  exit 2
fi
jar=$1
destination=$2
rm -rf "$destination/lib" "$destination/dimmer-server.jar" "$destination/dimmer.jsa"
java -Djarmode=tools -jar "$jar" extract --destination "$destination" --force
# a stable name, whatever the version in the jar's name
if [ "$(basename "$jar")" != dimmer-server.jar ]; then
  mv "$destination/$(basename "$jar")" "$destination/dimmer-server.jar"
fi
cd "$destination"
destination=$(pwd)
# The archive records the class path exactly as the training run spells it, and the JVM refuses (silently, unless
# -Xshare:on) an archive whose class path differs from its own: so train with the absolute path that the service
# will be started with.
#
# The training run refreshes the application context (every singleton created, nothing started) and exits. It needs
# no database: Flyway is off, Hibernate does not read JDBC metadata, and connections (to a closed port) fail fast.
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/training \
java -XX:ArchiveClassesAtExit=dimmer.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dspring.context.exit=onRefresh \
  -Dspring.flyway.enabled=false \
  -Dspring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false \
  -Dspring.jpa.database-platform=org.hibernate.dialect.PostgreSQLDialect \
  -Dlogging.level.root=ERROR -Dspring.main.banner-mode=off \
  -jar "$destination/dimmer-server.jar"
echo "prepared $destination: java -XX:SharedArchiveFile=$destination/dimmer.jsa -jar $destination/dimmer-server.jar"
