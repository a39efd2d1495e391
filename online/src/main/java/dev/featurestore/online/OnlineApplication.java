/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.repo.FeatureRepo;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The online feature server. {@code featurestore serve --repo DIR [--port N] [--grpc-port M]}, or
 * as a plain Spring Boot jar: {@code java -jar online-*-exec.jar --featurestore.repo=DIR
 * --server.port=N --featurestore.grpc-port=M}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OnlineApplication {
  /** Reactor Netty's system property for the number of HTTP event loops. */
  static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";

  public static void main(String[] args) {
    defaultEventLoops();
    int exit = run(args);
    if (exit != CommandRunner.SUCCESS) {
      System.exit(exit);
    }
  }

  /**
   * Runs {@code serve} ({@link CommandRunner}'s policy) and returns its exit code; on success the
   * server keeps running in this JVM.
   */
  static int run(String... args) {
    List<String> arguments = new ArrayList<>(Arrays.asList(args));
    if (!arguments.isEmpty() && arguments.get(0).equals("serve")) {
      arguments.remove(0);
    }
    return CommandRunner.run(new ServeCommand(), arguments.toArray(new String[0]));
  }

  /**
   * One HTTP event loop per core unless {@code -Dreactor.netty.ioWorkerCount} says otherwise:
   * Reactor Netty's default is at least 4, and on a 2-core machine the extra loops only added
   * wake-ups (CPU per 1-entity request at 2,000 requests/s 290 against 332 us in an A/B run, at
   * full load 101 against 110 us). Set before Netty's classes read it.
   */
  static void defaultEventLoops() {
    if (System.getProperty(IO_WORKER_COUNT) == null) {
      System.setProperty(
          IO_WORKER_COUNT, String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())));
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Serves online features of a feature repo over HTTP (Feast's /get-online-features)",
        "and gRPC (Feast's feast.serving.ServingService).",
        "Other Spring Boot settings pass through, e.g. --featurestore.max-entities=500."
      })
  static final class ServeCommand implements Callable<Integer> {
    @Option(names = "--repo", paramLabel = "DIR", description = "The feature repo folder.")
    Path repo;

    @Option(names = "--port", paramLabel = "N", description = "The HTTP port (default 6566).")
    Integer port;

    @Option(
        names = "--grpc-port",
        paramLabel = "M",
        description = {
          "The gRPC port of Feast's ServingService (default: online.grpc_port of",
          "featurestore.yaml, else 6567; -1 for no gRPC server)."
        })
    Integer grpcPort;

    @Option(names = "--verbose", description = "Print stack traces of startup errors.")
    boolean verbose;

    @Unmatched List<String> springArguments = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      boolean repoGiven =
          repo != null
              || springArguments.stream().anyMatch(a -> a.startsWith("--featurestore.repo="))
              || System.getenv("FEATURESTORE_REPO") != null;
      if (!repoGiven) {
        throw new ParameterException(
            spec.commandLine(),
            "Missing --repo DIR: the feature repo to serve (or --featurestore.repo=DIR)");
      }
      List<String> arguments = new ArrayList<>(springArguments);
      if (repo != null) {
        arguments.add("--featurestore.repo=" + repo.toAbsolutePath());
      }
      if (port != null) {
        arguments.add("--server.port=" + port);
      }
      if (grpcPort != null) {
        arguments.add("--featurestore.grpc-port=" + grpcPort);
      }
      if (!verbose) {
        // Startup failures are reported in one paragraph, without Spring's stack trace, failure
        // analysis, "cancelling refresh attempt" warning or condition report hint.
        arguments.add("--logging.level.org.springframework.boot.SpringApplication=off");
        arguments.add("--logging.level.org.springframework.boot.diagnostics=off");
        arguments.add("--logging.level.org.springframework.boot.autoconfigure.logging=off");
        arguments.add("--logging.level.org.springframework.boot.web.server.reactive.context=error");
      }
      if (repo != null) {
        FeatureRepo.open(repo); // fail fast, in one line, on a wrong folder
      }
      if (port != null) {
        checkPortFree(port, "--port N"); // fail fast, before Spring starts, on a port in use
      }
      if (grpcPort != null && grpcPort > 0) {
        checkPortFree(grpcPort, "--grpc-port M");
      }
      try {
        SpringApplication.run(OnlineApplication.class, arguments.toArray(new String[0]));
        return CommandRunner.SUCCESS;
      } catch (RuntimeException e) {
        throw startFailure(e);
      }
    }

    /**
     * A start that failed on a port in use says which, and how to choose another; one that failed
     * on a setting names it. Other failures go to the report as they are.
     */
    static RuntimeException startFailure(RuntimeException failure) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindValidationException invalid) {
          return new FeatureStoreException(
              ErrorCode.INVALID_ARGUMENT,
              "Cannot start the online service: " + invalidSettings(invalid.getValidationErrors()),
              failure);
        }
        if (cause instanceof org.springframework.boot.context.properties.bind.BindException bind
            && !(bind.getCause() instanceof BindValidationException)) {
          Throwable root = bind;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          String reason = root.getMessage() == null ? root.toString() : root.getMessage();
          return new FeatureStoreException(
              ErrorCode.INVALID_ARGUMENT,
              String.format(
                  "Cannot start the online service: invalid %s%s: %s",
                  bind.getName(),
                  bind.getProperty() == null ? "" : "=" + bind.getProperty().getValue(),
                  reason.lines().findFirst().orElse(reason).strip()),
              failure);
        }
        if (cause instanceof PortInUseException portInUse) {
          return portInUse(portInUse.getPort(), "--port N", failure);
        }
      }
      return failure;
    }

    /** {@code invalid featurestore.max-entities=0: must be greater than or equal to 1; ...}. */
    static String invalidSettings(ValidationErrors errors) {
      List<String> problems = new ArrayList<>();
      for (ObjectError error : errors) {
        if (error instanceof FieldError field) {
          String key =
              errors.getName()
                  + "."
                  + field.getField().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
          problems.add(
              String.format(
                  "invalid %s=%s: %s", key, field.getRejectedValue(), field.getDefaultMessage()));
        } else {
          problems.add("invalid " + errors.getName() + ": " + error.getDefaultMessage());
        }
      }
      return String.join("; ", problems);
    }

    /** Fails when something listens on the port already (0 picks a free port: never in use). */
    static void checkPortFree(int port, String option) {
      if (port == 0) {
        return;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port));
      } catch (BindException e) {
        throw portInUse(port, option, e);
      } catch (IOException | IllegalArgumentException e) {
        // Not a port conflict (e.g. out of range): the server's own start reports it.
      }
    }

    private static FeatureStoreException portInUse(int port, String option, Throwable cause) {
      return new FeatureStoreException(
          ErrorCode.UNAVAILABLE,
          String.format(
              "Cannot start the online service: port %d is in use; stop what listens there, or"
                  + " choose another port with %s",
              port, option),
          cause);
    }
  }
}
