/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON document of one registry version, the same in every backend (a file of a {@link
 * FileRegistry}, a row of a database):
 *
 * <pre>
 * {"format_version": 1, "number": 3, "content_hash": "…", "applied_at": "2026-12-02T01:02:03Z",
 *  "schema_fingerprints": {"driver_stats": "0a1b…"},
 *  "audit": {"user": "ana", "host": "ci-7", "git": {"commit": "…", "dirty": false},
 *            "summary": "+1 feature_view"},
 *  "definitions": {…}}
 * </pre>
 *
 * {@code audit} is absent in versions written before the audit log existed; {@code git} is absent
 * when the repo was not in git.
 */
public final class VersionJson {
  private VersionJson() {}

  /**
   * A decoded version document.
   *
   * @param version the version with its audit entry
   * @param schemaFingerprints the value schema fingerprint of each feature view, by view name
   */
  public record Document(RegistryVersion version, Map<String, Long> schemaFingerprints) {
    public Document {
      requireNonNull(version, "version is null");
      schemaFingerprints = Map.copyOf(schemaFingerprints);
    }
  }

  /**
   * Encodes a version document (pretty-printed UTF-8 JSON) in the {@link RegistryFormat#CURRENT}.
   */
  public static byte[] encode(RegistryVersion version, Map<String, Long> schemaFingerprints) {
    ObjectNode root = DefinitionsJson.MAPPER.createObjectNode();
    root.put("format_version", RegistryFormat.CURRENT);
    root.put("number", version.number());
    root.put("content_hash", version.contentHash());
    root.put("applied_at", version.appliedAt().toString());
    ObjectNode schemas = root.putObject("schema_fingerprints");
    schemaFingerprints.forEach((view, fp) -> schemas.put(view, FileRegistry.hex(fp)));
    version.audit().ifPresent(audit -> root.set("audit", audit(audit)));
    root.set("definitions", DefinitionsJson.toJson(version.definitions()));
    try {
      return DefinitionsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot encode registry version %d: %s",
          version.number(),
          e);
    }
  }

  /** The JSON tree of an audit entry. */
  public static ObjectNode audit(ApplyAudit audit) {
    ObjectNode node = DefinitionsJson.MAPPER.createObjectNode();
    node.put("user", audit.user());
    node.put("host", audit.host());
    audit
        .git()
        .ifPresent(
            git -> node.putObject("git").put("commit", git.commit()).put("dirty", git.dirty()));
    node.put("summary", audit.summary());
    return node;
  }

  /**
   * Decodes a version document, checking its format version first.
   *
   * @param bytes the document
   * @param source where it was read from (a file, a table row), for messages
   * @param expectedNumber the version number it must hold
   * @throws FeatureStoreException INVALID_ARGUMENT when it was written in a newer format;
   *     INTERNAL_ERROR naming {@code source} when it is corrupt
   */
  public static Document decode(byte[] bytes, String source, long expectedNumber) {
    JsonNode root;
    try {
      root = DefinitionsJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw corrupt(expectedNumber, source, e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw corrupt(expectedNumber, source, "not a JSON object", null);
    }
    RegistryFormat.check(source, root.path("format_version").asInt(1));
    Instant appliedAt;
    try {
      appliedAt = Instant.parse(root.path("applied_at").asText());
    } catch (DateTimeParseException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot read registry version %d: %s has an invalid applied_at '%s' (expected an"
              + " ISO-8601 instant)",
          expectedNumber,
          source,
          root.path("applied_at").asText());
    }
    Optional<ApplyAudit> audit = Optional.empty();
    JsonNode node = root.path("audit");
    if (node.isObject()) {
      JsonNode git = node.path("git");
      audit =
          Optional.of(
              new ApplyAudit(
                  node.path("user").asText(ApplyAudit.UNKNOWN),
                  node.path("host").asText(ApplyAudit.UNKNOWN),
                  git.isObject()
                      ? Optional.of(
                          new ApplyAudit.GitState(
                              git.path("commit").asText(), git.path("dirty").asBoolean()))
                      : Optional.empty(),
                  node.path("summary").asText("")));
    }
    RegistryVersion version =
        new RegistryVersion(
            root.path("number").asLong(),
            root.path("content_hash").asText(),
            appliedAt,
            DefinitionsJson.fromJson(root.path("definitions")),
            audit);
    if (version.number() != expectedNumber) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot read registry version %d: %s holds number %d",
          expectedNumber,
          source,
          version.number());
    }
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    root.path("schema_fingerprints")
        .properties()
        .forEach(
            e -> fingerprints.put(e.getKey(), Long.parseUnsignedLong(e.getValue().asText(), 16)));
    return new Document(version, fingerprints);
  }

  private static FeatureStoreException corrupt(
      long number, String source, String reason, Exception cause) {
    return FeatureStoreException.of(
        ErrorCode.INTERNAL_ERROR,
        cause,
        "Cannot read registry version %d: %s is not a valid version document (%s)",
        number,
        source,
        reason);
  }
}
