/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.apache.spark.sql.functions.col;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.SourceRows;
import dev.featurestore.spark.SparkTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A feature of a training set resolved against the registry: the view and typed feature, and the
 * training set's column holding it.
 */
record DriftFeature(ResolvedFeature resolved, String trainingColumn) {
  Comparison comparison() {
    return Comparison.of(resolved.feature().type());
  }

  ValueType type() {
    return resolved.feature().type();
  }

  /**
   * Resolves every feature of a training set against the definitions.
   *
   * @throws FeatureStoreException NOT_FOUND naming a feature that is no longer in the registry
   */
  static List<DriftFeature> resolve(Definitions definitions, TrainingSet trainingSet) {
    List<DriftFeature> features = new ArrayList<>();
    for (int i = 0; i < trainingSet.featureReferences().size(); i++) {
      String reference = trainingSet.featureReferences().get(i);
      ResolvedFeature resolved;
      try {
        resolved = definitions.resolveReferences(List.of(reference)).get(0);
      } catch (FeatureStoreException e) {
        throw new FeatureStoreException(
            ErrorCode.NOT_FOUND,
            String.format(
                "Cannot compute drift of the training set at %s: its feature %s is not in the"
                    + " registry's latest applied version; compare a training set built from the"
                    + " current definitions, or apply definitions that have it. (%s)",
                trainingSet.location(), reference, e.getMessage()),
            e);
      }
      features.add(new DriftFeature(resolved, trainingSet.featureColumns().get(i)));
    }
    return features;
  }

  /**
   * Checks that the training set has this feature's column, holding the feature's values.
   *
   * @throws FeatureStoreException INVALID_DATA naming the column, what it holds and what to do
   */
  void checkTrainingColumn(StructType schema, String location) {
    if (!Arrays.asList(schema.fieldNames()).contains(trainingColumn)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot compute drift of the training set at %s: it has no column '%s' for feature %s"
              + " (its columns: %s); the Parquet files do not match its _manifest.json",
          location,
          trainingColumn,
          resolved.reference(),
          String.join(", ", schema.fieldNames()));
    }
    DataType actual = schema.apply(trainingColumn).dataType();
    Optional<ValueType> held = ValueType.fromName(SparkTypes.sourceTypeName(actual));
    boolean comparable =
        held.map(
                h ->
                    h == type()
                        || (Comparison.of(h) == Comparison.NUMBER
                            && comparison() == Comparison.NUMBER
                            && h != ValueType.TIMESTAMP
                            && type() != ValueType.TIMESTAMP))
            .orElse(false);
    if (!comparable) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot compute drift of the training set at %s: column '%s' holds %s but feature %s"
              + " is %s now; build a new training set from the current definitions",
          location,
          trainingColumn,
          SparkTypes.sourceTypeName(actual),
          resolved.reference(),
          type());
    }
  }

  /** This feature's column of the training set, as compared values. */
  Column trainingValues() {
    return compared(col(SourceRows.quote(trainingColumn)));
  }

  /**
   * A column holding this feature's values as compared: numbers (and timestamps, as epoch seconds)
   * as doubles, strings and bools as strings.
   */
  Column compared(Column typed) {
    return comparison() == Comparison.NUMBER ? typed.cast("double") : typed.cast("string");
  }
}
