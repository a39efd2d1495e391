/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The registry's package structure, as docs/architecture.md describes it. */
class PackageDependenciesTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.featurestore.registry");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.featurestore.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void staysPlainJava() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark..", "org.springframework..", "io.lettuce..", "redis..")
        .because(
            "feature-registry is read by every module and must carry neither Spark, Spring nor a Redis client")
        .check(MAIN);
  }
}
