package dev.sluice.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.sluice.kafka", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** A backend implements the SPI: it does not reach into the embedded broker or the log's storage. */
    @ArchTest
    static final ArchRule onlyTheSpi = noClasses()
            .that()
            .resideInAPackage("dev.sluice.kafka..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sluice.broker.embedded..", "dev.sluice.log", "dev.sluice.log.internal..");

    /** Users reach the backend through its URL; only the provider is public. */
    @ArchTest
    static final ArchRule smallApi = classes()
            .that()
            .resideInAPackage("dev.sluice.kafka")
            .and()
            .arePublic()
            .should()
            .haveSimpleName("KafkaBrokerProvider");
}
