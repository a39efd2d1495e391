/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.store.RegistryVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code apply} would do: the validated definitions and their changes against the latest
 * applied version.
 *
 * @param base the latest applied version; empty before the first apply
 * @param definitions the validated definitions of the repo
 * @param changes the added, changed and removed objects
 * @param notes informational lines, e.g. sources whose columns could not be checked
 */
public record Plan(
    Optional<RegistryVersion> base,
    Definitions definitions,
    List<Change> changes,
    List<String> notes) {
  public Plan {
    requireNonNull(base, "base is null");
    requireNonNull(definitions, "definitions is null");
    changes = List.copyOf(requireNonNull(changes, "changes is null"));
    notes = List.copyOf(requireNonNull(notes, "notes is null"));
  }

  /** Returns true when applying would create a new version. */
  public boolean hasChanges() {
    return !changes.isEmpty();
  }

  /** Returns the number of breaking changes (objects and fields). */
  public long breakingCount() {
    return breakingChanges().size();
  }

  /** Returns true when the plan has at least one breaking change. */
  public boolean isBreaking() {
    return changes.stream().anyMatch(Change::isBreaking);
  }

  /**
   * Returns every breaking change, in plan order: for each object, the object itself (added or
   * removed) or its breaking field changes.
   */
  public List<BreakingChange> breakingChanges() {
    List<BreakingChange> breaking = new ArrayList<>();
    for (Change change : changes) {
      change.breaking().ifPresent(b -> breaking.add(new BreakingChange(change.path(), b)));
      for (FieldChange field : change.fields()) {
        field.breaking().ifPresent(b -> breaking.add(new BreakingChange(field.path(), b)));
      }
    }
    return breaking;
  }

  /**
   * Throws when the plan has a breaking change: the gate of {@code plan --fail-on-breaking} and of
   * {@code apply} without {@code --allow-breaking}.
   *
   * @param cannot what cannot be done, e.g. {@code apply the plan}
   * @param remedy what to do when the changes are intended, e.g. {@code pass --allow-breaking}
   * @throws FeatureStoreException BREAKING_CHANGE listing every breaking change, one a line
   */
  public void requireNoBreakingChanges(String cannot, String remedy) {
    List<BreakingChange> breaking = breakingChanges();
    if (breaking.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("Cannot ")
            .append(cannot)
            .append(" of project '")
            .append(definitions.project())
            .append("': ")
            .append(breaking.size())
            .append(breaking.size() == 1 ? " breaking change" : " breaking changes")
            .append(" (")
            .append(remedy)
            .append(')');
    breaking.forEach(b -> message.append(System.lineSeparator()).append("  ").append(b));
    throw new FeatureStoreException(ErrorCode.BREAKING_CHANGE, message.toString());
  }

  private long count(Change.Type type) {
    return changes.stream().filter(c -> c.type() == type).count();
  }

  /** Renders the plan for a terminal, one line per object and per changed field. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Project '").append(definitions.project()).append("': ");
    base.ifPresentOrElse(
        v ->
            out.append("comparing with version ")
                .append(v.number())
                .append(" (applied ")
                .append(v.appliedAt())
                .append(")."),
        () -> out.append("nothing applied yet."));
    out.append('\n');
    if (!hasChanges()) {
      out.append(
          base.isPresent()
              ? "\nNo changes: the definitions equal the applied version.\n"
              : "\nNo changes: the repo defines no objects yet.\n");
    } else {
      out.append('\n');
      for (Change change : changes) {
        out.append("  ")
            .append(change.type().symbol())
            .append(' ')
            .append(change.kind().label())
            .append(' ')
            .append(change.name());
        change.breaking().ifPresent(b -> out.append("  [BREAKING: ").append(b).append(']'));
        out.append('\n');
        for (FieldChange field : change.fields()) {
          out.append("      ").append(field).append('\n');
        }
      }
      out.append("\nPlan: ")
          .append(count(Change.Type.ADDED))
          .append(" to add, ")
          .append(count(Change.Type.CHANGED))
          .append(" to change, ")
          .append(count(Change.Type.REMOVED))
          .append(" to remove");
      long breaking = breakingCount();
      if (breaking > 0) {
        out.append("; ")
            .append(breaking)
            .append(breaking == 1 ? " breaking change" : " breaking changes");
      }
      out.append(".\n");
    }
    for (String note : notes) {
      out.append("Note: ").append(note).append('\n');
    }
    return out.toString();
  }
}
