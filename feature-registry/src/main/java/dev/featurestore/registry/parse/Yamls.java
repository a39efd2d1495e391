/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.DefinitionException.Problem;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Composes YAML text into nodes (no objects are constructed), reporting syntax errors. */
final class Yamls {
  private Yamls() {}

  /** Returns the root node; empty for an empty document or after reporting a syntax error. */
  static Optional<Node> compose(String file, String text, List<Problem> problems) {
    try {
      return Optional.ofNullable(new Yaml(new LoaderOptions()).compose(new StringReader(text)));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      int column = mark == null ? 0 : mark.getColumn() + 1;
      if (mark != null && isTab(text, mark.getIndex())) {
        // The scanner stops at the tab; its own wording ("found character '\t(TAB)' that cannot
        // start any token") names an escape sequence, not what to do.
        problems.add(
            new Problem(
                file,
                line,
                column,
                "invalid YAML: a tab character",
                "YAML does not allow tabs for indentation or between tokens; use spaces"));
        return Optional.empty();
      }
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " " + e.getContext() : "";
      problems.add(new Problem(file, line, column, "invalid YAML: " + problem + context, ""));
      return Optional.empty();
    } catch (YAMLException e) {
      problems.add(new Problem(file, 0, 0, "invalid YAML: " + e.getMessage(), ""));
      return Optional.empty();
    }
  }

  /** Whether the character at a scanner mark's index (in code points) is a tab. */
  private static boolean isTab(String text, int codePointIndex) {
    if (codePointIndex < 0 || codePointIndex >= text.codePointCount(0, text.length())) {
      return false;
    }
    return text.codePointAt(text.offsetByCodePoints(0, codePointIndex)) == '\t';
  }
}
