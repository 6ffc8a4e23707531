package dev.sluice.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The SPI is what other backends (Kafka, Kinesis) implement: it must not know the embedded log. */
    @ArchTest
    static final ArchRule spiIsBackendNeutral = noClasses()
            .that()
            .resideInAPackage("dev.sluice.broker")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sluice.log..", "dev.sluice.broker.embedded..");

    /** The embedded broker uses the log's public API only. */
    @ArchTest
    static final ArchRule embeddedUsesThePublicLogApi = noClasses()
            .that()
            .resideInAPackage("dev.sluice.broker..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.sluice.log.internal..");
}
