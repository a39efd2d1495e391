/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.ApplyAudit;
import dev.featurestore.registry.store.DefinitionsJson;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.VersionJson;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description =
        "Read the registry: the objects of a version, one object, the version history; copy it.",
    subcommands = {
      RegistryCommand.ListCommand.class,
      RegistryCommand.DescribeCommand.class,
      RegistryCommand.HistoryCommand.class,
      RegistryCommand.CopyCommand.class
    })
final class RegistryCommand {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Options of commands that read one version. */
  static final class VersionOptions {
    @Mixin RepoOptions repo;

    @Option(
        names = "--version",
        paramLabel = "N",
        description = "Read version N instead of the latest.")
    Long version;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    Registry registry;

    RegistryVersion read() {
      FileFeatureRepo featureRepo = repo.open();
      registry = featureRepo.registry();
      if (version != null) {
        return registry.version(version);
      }
      return registry
          .latest()
          .orElseThrow(
              () ->
                  FeatureStoreException.of(
                      ErrorCode.NOT_FOUND,
                      "Cannot read the registry of project '%s': nothing has been applied yet"
                          + " (run: featurestore apply --repo %s)",
                      featureRepo.config().project(),
                      repo.repo));
    }
  }

  static void printJson(PrintWriter out, Object node) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "Cannot print JSON", e);
    }
  }

  static String header(RegistryVersion version) {
    return String.format(
        "Version %d of project '%s' (applied %s, sha256 %s)",
        version.number(),
        version.definitions().project(),
        version.appliedAt(),
        version.contentHash().substring(0, 12));
  }

  @Command(
      name = "list",
      description = "List the objects of the latest version (or of --version N).")
  static final class ListCommand implements Callable<Integer> {
    @Mixin VersionOptions options;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      RegistryVersion version = options.read();
      Definitions d = version.definitions();
      if (options.json) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version.number());
        root.put("applied_at", version.appliedAt().toString());
        root.put("content_hash", version.contentHash());
        root.set("definitions", DefinitionsJson.toJson(d));
        printJson(out, root);
        return 0;
      }
      out.println(header(version));
      out.println();
      String format = "%-16s %-28s %s%n";
      out.printf(format, "KIND", "NAME", "DETAILS");
      for (Entity e : d.entities()) {
        out.printf(format, "entity", e.name(), "join keys: " + joinKeys(e));
      }
      for (ParquetSource s : d.sources()) {
        out.printf(format, "source", s.name(), "parquet: " + s.path());
      }
      for (FeatureView v : d.featureViews()) {
        // An aggregated view has no TTL: its windows define how long events count.
        String contents =
            v.aggregations()
                .map(
                    a ->
                        String.format(
                            "%d aggregations; interval %s, longest window %s",
                            a.aggregations().size(),
                            Durations.format(a.interval()),
                            Durations.format(a.longestWindow())))
                .orElseGet(
                    () ->
                        String.format(
                            "%d features; ttl %s", v.features().size(), Durations.format(v.ttl())));
        out.printf(
            format,
            "feature_view",
            v.name(),
            String.format(
                "entities: %s; %s%s",
                String.join(", ", v.entities()),
                contents,
                v.online() ? "; online" : "; offline only"));
      }
      for (FeatureService s : d.featureServices()) {
        out.printf(
            format, "feature_service", s.name(), d.resolveService(s.name()).size() + " features");
      }
      return 0;
    }
  }

  static String joinKeys(Entity entity) {
    return entity.joinKeys().stream()
        .map(k -> k.name() + " " + k.type())
        .collect(Collectors.joining(", "));
  }

  @Command(
      name = "history",
      description = {
        "List every applied version, oldest first, with its audit entry: who applied it, from",
        "which host and repo commit (* = uncommitted changes), and what changed."
      })
  static final class HistoryCommand implements Callable<Integer> {
    @Mixin RepoOptions options;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<RegistryVersion> history = options.open().registry().history();
      if (json) {
        ArrayNode versions = JSON.createArrayNode();
        for (RegistryVersion v : history) {
          Definitions d = v.definitions();
          ObjectNode node =
              versions
                  .addObject()
                  .put("version", v.number())
                  .put("applied_at", v.appliedAt().toString())
                  .put("content_hash", v.contentHash())
                  .put("entities", d.entities().size())
                  .put("sources", d.sources().size())
                  .put("feature_views", d.featureViews().size())
                  .put("feature_services", d.featureServices().size());
          v.audit()
              .ifPresentOrElse(
                  a -> node.set("audit", VersionJson.audit(a)), () -> node.putNull("audit"));
        }
        printJson(out, versions);
        return 0;
      }
      if (history.isEmpty()) {
        out.println("No versions: nothing has been applied yet.");
        return 0;
      }
      String format = "%-8s %-25s %-13s %5s %9s %-24s %-14s %s%n";
      out.printf(
          format,
          "VERSION",
          "APPLIED AT",
          "SHA256",
          "VIEWS",
          "SERVICES",
          "APPLIED BY",
          "COMMIT",
          "CHANGES");
      for (RegistryVersion v : history) {
        Definitions d = v.definitions();
        Optional<ApplyAudit> audit = v.audit();
        out.printf(
            format,
            v.number(),
            v.appliedAt(),
            v.contentHash().substring(0, 12),
            d.featureViews().size(),
            d.featureServices().size(),
            audit.map(a -> a.user() + "@" + a.host()).orElse("-"),
            audit
                .flatMap(ApplyAudit::git)
                .map(g -> g.commit().substring(0, 12) + (g.dirty() ? "*" : ""))
                .orElse("-"),
            audit.map(ApplyAudit::summary).filter(t -> !t.isEmpty()).orElse("-"));
      }
      return 0;
    }
  }

  @Command(
      name = "copy",
      description = {
        "Copy the repo's registry into an empty registry at another location, keeping its",
        "history (versions, schemas, watermarks, audit log). Then point featurestore.yaml's",
        "registry: at the new location."
      })
  static final class CopyCommand implements Callable<Integer> {
    @Mixin RepoOptions options;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "URI",
        description = "The target: a folder, a file: URI or a backend URI (postgresql://...).")
    String to;

    @Option(
        names = "--to-password-env",
        paramLabel = "VAR",
        description = "The environment variable holding the target's password (password_env).")
    String toPasswordEnv;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FileFeatureRepo repo = options.open();
      Registry source = repo.registry();
      Map<String, String> targetOptions =
          toPasswordEnv == null ? Map.of() : Map.of("password_env", toPasswordEnv);
      // A URI as it is; a path relative to the working directory, as paths of options are.
      URI target =
          to.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")
              ? repo.resolve(to)
              : Path.of(to).toAbsolutePath().normalize().toUri();
      Registry targetRegistry = Registries.open(new RegistryLocation(target, targetOptions));
      int copied = Registries.copy(source, targetRegistry);
      spec.commandLine()
          .getOut()
          .printf(
              "Copied %d version(s) with their schemas, watermarks, statistics history and audit entries from %s to"
                  + " %s.%n",
              copied, source.location(), targetRegistry.location());
      return 0;
    }
  }

  @Command(
      name = "describe",
      description =
          "Describe one entity, source, feature view (with its Avro value schema) or feature"
              + " service.")
  static final class DescribeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The object's name.")
    String name;

    @Mixin VersionOptions options;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      RegistryVersion version = options.read();
      new Describer(spec.commandLine().getOut(), options.registry, version, options.json)
          .describe(name);
      return 0;
    }
  }
}
