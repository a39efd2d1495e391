/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import java.util.Collection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/** Describes a JSON error of a request body in the client's terms, without Java's. */
final class JsonErrors {
  private JsonErrors() {}

  /** Where the error is, which field, what was expected; never a Java type name. */
  static String message(JacksonException json) {
    StringBuilder field = new StringBuilder();
    for (JacksonException.Reference reference : json.getPath()) {
      if (reference.getPropertyName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    String where =
        json.getLocation() != null && json.getLocation().getLineNr() > 0
            ? String.format(
                " at line %d, column %d",
                json.getLocation().getLineNr(), json.getLocation().getColumnNr())
            : "";
    if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      if (field.length() == 0) {
        // The whole body has the wrong shape (an array, a string, a number).
        return "Cannot parse the request body"
            + where
            + ": it must be a JSON object, e.g. {\"features\": [\"driver_stats:trips\"],"
            + " \"entities\": {\"driver_id\": [1001]}}";
      }
      return "Cannot parse the request body"
          + where
          + ": '"
          + field
          + "' must be "
          + kind(mismatch.getTargetType());
    }
    String message = String.valueOf(json.getOriginalMessage());
    int source = message.indexOf(" (start marker at [Source");
    if (source >= 0) {
      message = message.substring(0, source);
    }
    return "Cannot parse the request body as JSON" + where + ": " + message;
  }

  /** The JSON kind of value a Java type is read from. */
  private static String kind(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "an object"; // a map or a record
  }
}
