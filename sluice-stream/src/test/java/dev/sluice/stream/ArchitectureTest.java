package dev.sluice.stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The runtime works on the Broker SPI, so a pipeline runs unchanged on any backend. */
    @ArchTest
    static final ArchRule runsOnTheBrokerSpiOnly = noClasses()
            .that()
            .resideInAPackage("dev.sluice.stream..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sluice.broker.embedded..", "dev.sluice.log.internal..");

    /** Connectors plug in from outside; the core knows none of them. */
    @ArchTest
    static final ArchRule knowsNoConnectorOrApp = noClasses()
            .that()
            .resideInAPackage("dev.sluice.stream..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sluice.connect..", "dev.sluice.app..");
}
