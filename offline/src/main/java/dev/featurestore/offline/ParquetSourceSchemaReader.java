/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import dev.featurestore.offline.internal.DataFiles;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.spark.SourceReader;
import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet source's column types from one file footer (the first data file in name order of
 * a folder or glob), without Spark. Registered for {@code plan} through {@code
 * META-INF/services/dev.featurestore.registry.parse.SourceSchemaReader}.
 *
 * <p>Types map to definition type names: {@code int32}, {@code int64}, {@code float32}, {@code
 * float64}, {@code string}, {@code bool}, {@code bytes}, {@code timestamp} (INT96, or INT64 with a
 * UTC-adjusted timestamp annotation), {@code array<T>} for lists. Anything else gets a descriptive
 * name that matches no definition type ({@code int16}, {@code date}, {@code decimal(10,2)}, {@code
 * timestamp_ntz} for a timestamp without time zone, {@code struct}, {@code map}); {@code plan}
 * checks them with the same rule as the Spark jobs ({@code SourceColumns}).
 *
 * <p>A folder with no data file yet is empty (plan notes it); nothing at the path, or a file whose
 * footer cannot be read, is an error, never "no data".
 */
public final class ParquetSourceSchemaReader implements SourceSchemaReader {
  /**
   * {@inheritDoc}
   *
   * @throws FeatureStoreException NOT_FOUND when nothing exists at the location (or a glob matches
   *     nothing); INVALID_DATA naming the file when its footer cannot be read (not Parquet,
   *     truncated); UNAVAILABLE when the file system fails
   */
  @Override
  public Optional<Map<String, String>> read(URI source) {
    Configuration conf = new Configuration();
    Path path = new Path(source);
    FileSystem fs;
    try {
      fs = path.getFileSystem(conf);
    } catch (UnsupportedFileSystemException e) {
      return Optional.empty(); // e.g. s3a:// without its connector on plan's class path
    } catch (IOException e) {
      throw unavailable(source, e);
    }
    Optional<FileStatus> file = firstDataFile(fs, path, source);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromStatus(file.get(), conf))) {
      Map<String, String> columns = new LinkedHashMap<>();
      for (Type field : reader.getFooter().getFileMetaData().getSchema().getFields()) {
        columns.put(field.getName(), typeName(field));
      }
      return Optional.of(columns);
    } catch (IOException | RuntimeException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "cannot read the Parquet footer of %s: %s",
              file.get().getPath(), SourceReader.firstLine(e)),
          e);
    }
  }

  private static Optional<FileStatus> firstDataFile(FileSystem fs, Path path, URI source) {
    try {
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw FeatureStoreException.of(ErrorCode.NOT_FOUND, "nothing exists at %s", source);
      }
      return DataFiles.below(fs, matches).stream()
          .filter(f -> f.getLen() > 0)
          .min(Comparator.comparing(f -> f.getPath().toString()));
    } catch (IOException e) {
      throw unavailable(source, e);
    }
  }

  private static FeatureStoreException unavailable(URI source, IOException e) {
    return new FeatureStoreException(
        ErrorCode.UNAVAILABLE,
        String.format("cannot list %s: %s", source, SourceReader.firstLine(e)),
        e);
  }

  static String typeName(Type type) {
    if (type.isRepetition(Type.Repetition.REPEATED)) {
      // A legacy unannotated repeated field is a list of its element.
      return "array<" + elementName(type) + ">";
    }
    return type.isPrimitive()
        ? primitiveName(type.asPrimitiveType())
        : groupName(type.asGroupType());
  }

  private static String elementName(Type repeated) {
    return repeated.isPrimitive()
        ? primitiveName(repeated.asPrimitiveType())
        : groupName(repeated.asGroupType());
  }

  private static String groupName(GroupType group) {
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && group.getFieldCount() == 1) {
      Type repeated = group.getType(0);
      // Standard 3-level lists wrap the element in a repeated group of one field.
      if (!repeated.isPrimitive()
          && repeated.asGroupType().getFieldCount() == 1
          && !repeated.getName().equals("array")
          && !repeated.getName().equals(group.getName() + "_tuple")) {
        return "array<" + typeName(repeated.asGroupType().getType(0)) + ">";
      }
      return "array<" + elementName(repeated) + ">";
    }
    if (annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
      return "map";
    }
    return "struct";
  }

  private static String primitiveName(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
      return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
    }
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> "bool";
      case INT32 -> intName(annotation, 32);
      case INT64 -> {
        if (annotation instanceof TimestampLogicalTypeAnnotation timestamp) {
          yield timestamp.isAdjustedToUTC() ? "timestamp" : "timestamp_ntz";
        }
        yield intName(annotation, 64);
      }
      case INT96 -> "timestamp";
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case BINARY, FIXED_LEN_BYTE_ARRAY -> {
        if (annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          yield "string";
        }
        yield annotation == null ? "bytes" : annotation.toString().toLowerCase(Locale.ROOT);
      }
    };
  }

  private static String intName(LogicalTypeAnnotation annotation, int physicalBits) {
    if (annotation == null) {
      return "int" + physicalBits;
    }
    if (annotation instanceof IntLogicalTypeAnnotation integer) {
      return (integer.isSigned() ? "int" : "uint") + integer.getBitWidth();
    }
    if (annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      return "date";
    }
    return annotation.toString().toLowerCase(Locale.ROOT);
  }
}
