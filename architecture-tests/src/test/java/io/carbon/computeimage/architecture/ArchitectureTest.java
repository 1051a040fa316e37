package io.carbon.computeimage.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/** Applies {@link ComputeImageRules} to every production class of every module. */
@AnalyzeClasses(
    packages = {
      "io.carbon.computeimage.ports",
      "io.carbon.computeimage.domain",
      "io.carbon.computeimage.application",
      "io.carbon.computeimage.adapter",
      "io.carbon.computeimage.cli"
    },
    importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTest {
  @ArchTest static final ArchTests rules = ArchTests.in(ComputeImageRules.class);
}
