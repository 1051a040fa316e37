package io.carbon.computeimage.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.carbon.computeimage.adapter.distro.archfixture.AlphaPrints;
import io.carbon.computeimage.adapter.distro.archfixture.AlphaUsesBeta;
import io.carbon.computeimage.adapter.distro.archfixture.AlphaUsesDomain;
import io.carbon.computeimage.adapter.oci.archfixture.BetaThing;
import io.carbon.computeimage.domain.cyclea.CycleA;
import io.carbon.computeimage.domain.cycleb.CycleB;
import io.carbon.computeimage.domain.outward.DomainUsesAdapter;
import io.carbon.computeimage.ports.badspi.PortUsingPicocli;
import org.junit.jupiter.api.Test;

/**
 * Shows that each architecture rule fails on a deliberate violation (test-only classes that the
 * production {@link ArchitectureTest} does not import), so a green {@link ArchitectureTest} means
 * something.
 */
final class RulesCatchViolationsTest {

  private static EvaluationResult evaluate(ArchRule rule, Class<?>... classes) {
    JavaClasses imported = new ClassFileImporter().importClasses(classes);
    return rule.evaluate(imported);
  }

  private static String violationText(ArchRule rule, Class<?>... classes) {
    EvaluationResult result = evaluate(rule, classes);
    assertThat(result.hasViolation()).as("rule %s should be violated", rule).isTrue();
    return String.join("\n", result.getFailureReport().getDetails());
  }

  @Test
  void portsJdkOnly_portUsesThirdPartyLibrary_violated() {
    assertThat(violationText(ComputeImageRules.portsJdkOnly, PortUsingPicocli.class))
        .contains("PortUsingPicocli")
        .contains("picocli.CommandLine");
  }

  @Test
  void adaptersIndependent_adapterImportsAnotherAdapter_violated() {
    assertThat(
            violationText(
                ComputeImageRules.adaptersIndependent, AlphaUsesBeta.class, BetaThing.class))
        .contains("AlphaUsesBeta")
        .contains("BetaThing");
  }

  @Test
  void adaptersSeeOnlyPorts_adapterImportsDomain_violated() {
    assertThat(
            violationText(
                ComputeImageRules.adaptersSeeOnlyPorts, AlphaUsesDomain.class, CycleA.class))
        .contains("AlphaUsesDomain")
        .contains("CycleA");
  }

  @Test
  void onion_domainDependsOnAdapter_violated() {
    assertThat(
            violationText(ComputeImageRules.onion, DomainUsesAdapter.class, BetaThing.class))
        .contains("DomainUsesAdapter")
        .contains("BetaThing");
  }

  @Test
  void domainDependsOnPortsOnly_domainDependsOnAdapter_violated() {
    assertThat(
            violationText(
                ComputeImageRules.domainDependsOnPortsOnly,
                DomainUsesAdapter.class,
                BetaThing.class))
        .contains("DomainUsesAdapter");
  }

  @Test
  void noDomainCycles_twoPackagesUseEachOther_violated() {
    assertThat(violationText(ComputeImageRules.noDomainCycles, CycleA.class, CycleB.class))
        .contains("cyclea")
        .contains("cycleb");
  }

  @Test
  void libraryNeverPrints_adapterWritesToStdout_violated() {
    assertThat(violationText(ComputeImageRules.libraryNeverPrints, AlphaPrints.class))
        .contains("AlphaPrints")
        .contains("System.out");
  }

  @Test
  void rules_conformingClasses_notViolated() {
    assertThat(evaluate(ComputeImageRules.adaptersIndependent, BetaThing.class).hasViolation())
        .isFalse();
    assertThat(evaluate(ComputeImageRules.portsJdkOnly, BetaThing.class).hasViolation()).isFalse();
  }
}
