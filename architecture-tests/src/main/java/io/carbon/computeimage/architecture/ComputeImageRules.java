package io.carbon.computeimage.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;

/**
 * The architecture of compute-image as ArchUnit rules: dependencies point inward, adapters are
 * independent, the SPI is JDK-only and the library never prints.
 *
 * @since 0.1
 */
public final class ComputeImageRules {
  private static final String P = "io.carbon.computeimage";

  private ComputeImageRules() {}

  /** Ports innermost, then domain, then application; adapters and the CLI outside. */
  @ArchTest
  public static final ArchRule onion =
      onionArchitecture()
          .domainModels(P + ".ports..")
          .domainServices(P + ".domain..")
          .applicationServices(P + ".application..")
          .adapter("transfer", P + ".adapter.transfer..")
          .adapter("oci", P + ".adapter.oci..")
          .adapter("distro", P + ".adapter.distro..")
          .adapter("overlay", P + ".adapter.overlay..")
          .adapter("hcs", P + ".adapter.hcs..")
          .adapter("convert", P + ".adapter.convert..")
          .adapter("cli", P + ".cli..")
          .withOptionalLayers(true);

  /** The SPI depends on the JDK only. */
  @ArchTest
  public static final ArchRule portsJdkOnly =
      classes()
          .that()
          .resideInAPackage(P + ".ports..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(P + ".ports..", "java..");

  /** The domain depends on ports and the JDK only. */
  @ArchTest
  public static final ArchRule domainDependsOnPortsOnly =
      classes()
          .that()
          .resideInAPackage(P + ".domain..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(P + ".domain..", P + ".ports..", "java..");

  /** The domain does no I/O of its own and does not load plugins. */
  @ArchTest
  public static final ArchRule domainIsPure =
      noClasses()
          .that()
          .resideInAPackage(P + ".domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.net.http..", "java.lang.reflect..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class, Runtime.class, java.util.ServiceLoader.class);

  /** The application layer sees domain, ports and the JDK only. */
  @ArchTest
  public static final ArchRule applicationDependsInward =
      classes()
          .that()
          .resideInAPackage(P + ".application..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(P + ".application..", P + ".domain..", P + ".ports..", "java..");

  /** Driven adapters see only ports, never the domain, the application or the CLI. */
  @ArchTest
  public static final ArchRule adaptersSeeOnlyPorts =
      noClasses()
          .that()
          .resideInAPackage(P + ".adapter..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(P + ".domain..", P + ".application..", P + ".cli..");

  /** No adapter imports another adapter. */
  @ArchTest
  public static final ArchRule adaptersIndependent =
      slices().matching(P + ".adapter.(*)..").should().notDependOnEachOther();

  /** The top-level packages form no cycle. */
  @ArchTest
  public static final ArchRule noTopLevelCycles =
      slices().matching(P + ".(*)..").should().beFreeOfCycles();

  /** The domain's sub-packages form no cycle. */
  @ArchTest
  public static final ArchRule noDomainCycles =
      slices().matching(P + ".domain.(*)..").should().beFreeOfCycles();

  /** Each adapter's sub-packages form no cycle. */
  @ArchTest
  public static final ArchRule noAdapterCycles =
      slices().matching(P + ".adapter.(*).(*)..").should().beFreeOfCycles();

  /**
   * JNA stays in the platform layer stores and in the CLI's libcrypto digest provider (which the
   * composition root installs; the library itself uses the JDK's digests).
   */
  @ArchTest
  public static final ArchRule jnaOnlyInLayerStores =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              P + ".adapter.hcs..", P + ".adapter.overlay..", P + ".cli.digest..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.sun.jna..");

  /** picocli stays in the CLI. */
  @ArchTest
  public static final ArchRule picocliOnlyInCli =
      noClasses()
          .that()
          .resideOutsideOfPackage(P + ".cli..")
          .and()
          .resideOutsideOfPackage(P + ".architecture..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..");

  /** Jackson stays in the registry adapter. */
  @ArchTest
  public static final ArchRule jacksonOnlyInOci =
      noClasses()
          .that()
          .resideOutsideOfPackage(P + ".adapter.oci..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.fasterxml.jackson..");

  /** Nothing but the CLI writes to stdout or stderr: the library reports to listeners. */
  @ArchTest
  public static final ArchRule libraryNeverPrints =
      noClasses()
          .that()
          .resideOutsideOfPackage(P + ".cli..")
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS);

  /** Only the application and the CLI read the environment and system properties. */
  @ArchTest
  public static final ArchRule environmentReadAtTheEdges =
      noClasses()
          .that()
          .resideOutsideOfPackages(P + ".application..", P + ".cli..")
          .should()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .orShould()
          .callMethod(System.class, "getProperty", String.class)
          .orShould()
          .callMethod(System.class, "getProperty", String.class, String.class);

  /** Public SPI types are interfaces, records, enums or exceptions. */
  @ArchTest
  public static final ArchRule portsTypesAreContractsOrValues =
      classes()
          .that()
          .resideInAPackage(P + ".ports..")
          .and()
          .areTopLevelClasses()
          .and()
          .arePublic()
          .should()
          .beInterfaces()
          .orShould()
          .beRecords()
          .orShould()
          .beEnums()
          .orShould()
          .beAssignableTo(ComputeImageException.class);

  /** Plugins are public, have a public no-argument constructor and live in an adapter. */
  @ArchTest
  public static final ArchRule pluginsRegistrable =
      classes()
          .that()
          .implement(ComputeImagePlugin.class)
          .and()
          .doNotHaveModifier(JavaModifier.ABSTRACT)
          .should()
          .bePublic()
          .andShould(havePublicNoArgConstructor())
          .andShould()
          .resideInAPackage(P + ".adapter..");

  /** Throwables are named {@code *Exception}. */
  @ArchTest
  public static final ArchRule exceptionsNamed =
      classes()
          .that()
          .resideInAPackage(P + "..")
          .and()
          .areAssignableTo(Throwable.class)
          .should()
          .haveSimpleNameEndingWith("Exception");

  /**
   * Our checked exceptions derive from {@link ComputeImageException}; adapters may also define
   * {@link java.io.IOException} subclasses for internal use, translated at the port boundary.
   */
  @ArchTest
  public static final ArchRule checkedExceptionsRooted =
      classes()
          .that()
          .resideInAPackage(P + "..")
          .and()
          .areAssignableTo(Exception.class)
          .and()
          .areNotAssignableTo(RuntimeException.class)
          .and(
              DescribedPredicate.not(
                  JavaClass.Predicates.assignableTo(java.io.IOException.class)
                      .and(JavaClass.Predicates.resideInAPackage(P + ".adapter.."))))
          .should()
          .beAssignableTo(ComputeImageException.class);

  /** No generic exceptions are thrown. */
  @ArchTest
  public static final ArchRule noGenericExceptions =
      GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

  /** java.util.logging is not used (use System.Logger if at all). */
  @ArchTest
  public static final ArchRule noJavaUtilLogging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  /** Old date classes are not used. */
  @ArchTest
  public static final ArchRule noOldDates =
      GeneralCodingRules.OLD_DATE_AND_TIME_CLASSES_SHOULD_NOT_BE_USED;

  private static ArchCondition<JavaClass> havePublicNoArgConstructor() {
    return new ArchCondition<>("have a public no-argument constructor") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        boolean ok =
            item.getConstructors().stream()
                .anyMatch(
                    c ->
                        c.getModifiers().contains(JavaModifier.PUBLIC)
                            && c.getRawParameterTypes().isEmpty());
        if (!ok) {
          events.add(
              SimpleConditionEvent.violated(
                  item, item.getName() + " has no public no-argument constructor"));
        }
      }
    };
  }
}
