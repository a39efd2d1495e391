/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offlinestore.append;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Reading a Parquet folder without Hadoop: which file is data (as Spark and the offline module's
 * {@code DataFiles} count them: no name starting with {@code _} or {@code .}), and a file's schema
 * and row count from its footer bytes (the last 8 bytes are the footer's length and {@code PAR1}).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** The first data file of a folder by name, as Spark reads it (no {@code _} or {@code .}). */
  static Optional<Path> firstDataFile(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> isVisible(folder, p))
          .sorted()
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isVisible(Path folder, Path file) {
    for (Path part : folder.relativize(file)) {
      String name = part.toString();
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /** Reads a Parquet file's schema from its footer, with no Hadoop class. */
  static MessageType readSchema(String what, Path file) {
    try {
      return new ParquetMetadataConverter()
          .fromParquetMetadata(readFooter(what, file))
          .getFileMetaData()
          .getSchema();
    } catch (IOException e) {
      throw ParquetAppender.invalid(
          what, "cannot read the Parquet schema of %s (%s)", file, e.getMessage());
    }
  }

  /** The number of rows of a Parquet file, from its footer. */
  static long rowCount(Path file) {
    return readFooter(file.toString(), file).getNum_rows();
  }

  private static FileMetaData readFooter(String what, Path file) {
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (size < 12) {
        throw ParquetAppender.invalid(what, "%s is not a Parquet file (too short)", file);
      }
      channel.position(size - 8);
      while (tail.hasRemaining() && channel.read(tail) >= 0) {
        // read the footer length and magic
      }
      int length = tail.getInt(0);
      if (tail.get(4) != 'P' || tail.get(5) != 'A' || tail.get(6) != 'R' || tail.get(7) != '1') {
        throw ParquetAppender.invalid(what, "%s is not a Parquet file (no PAR1 at its end)", file);
      }
      if (length <= 0 || length > size - 12) {
        throw ParquetAppender.invalid(
            what, "%s has a corrupt Parquet footer length %d", file, length);
      }
      ByteBuffer footer = ByteBuffer.allocate(length);
      channel.position(size - 8 - length);
      while (footer.hasRemaining() && channel.read(footer) >= 0) {
        // read the footer
      }
      return Util.readFileMetaData(new ByteArrayInputStream(footer.array(), 0, length));
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot append to %s: cannot read %s (%s)", what, file, e);
    }
  }
}
