/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsIT {
  @TempDir Path dir;

  @Test
  void aLocalSessionIsUtcWithoutUiAndLogsNoStackTraceForAFailedTask() throws Exception {
    SparkSession spark = SparkSessions.open("spark-sessions-test", "local[2]");
    assertThat(spark.conf().get("spark.sql.session.timeZone")).isEqualTo("UTC");
    assertThat(spark.conf().get("spark.ui.enabled")).isEqualTo("false");
    assertThat(spark.conf().get("spark.sql.parquet.inferTimestampNTZ.enabled")).isEqualTo("false");
    assertThat(spark.sparkContext().master()).isEqualTo("local[2]");

    spark.range(3).coalesce(1).write().parquet(dir.resolve("data").toString());
    Path part;
    try (var files = Files.list(dir.resolve("data"))) {
      part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.writeString(part, "not parquet");
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));

    List<String> logged = new CopyOnWriteArrayList<>();
    AbstractAppender capture =
        new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            logged.add(
                event.getLevel()
                    + " "
                    + event.getLoggerName()
                    + (event.getThrown() == null ? "" : " with a stack trace"));
          }
        };
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    context.updateLoggers();
    try {
      assertThatThrownBy(() -> spark.read().parquet(dir.resolve("data").toString()).count())
          .hasStackTraceContaining("is not a Parquet file");
    } finally {
      context.getConfiguration().getRootLogger().removeAppender("capture");
      context.updateLoggers();
    }

    assertThat(logged).noneMatch(line -> line.endsWith("with a stack trace"));
    assertThat(logged).noneMatch(line -> line.contains(SparkSessions.EXECUTOR_LOGGER));
  }
}
