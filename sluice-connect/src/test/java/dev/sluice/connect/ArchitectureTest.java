package dev.sluice.connect;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Connectors use the public SPI of the stream module, never its runtime or the embedded broker. */
    @ArchTest
    static final ArchRule usesThePublicSpiOnly = noClasses()
            .that()
            .resideInAPackage("dev.sluice.connect..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.sluice.stream.runtime..",
                    "dev.sluice.broker.embedded..",
                    "dev.sluice.log.internal..",
                    "dev.sluice.app..");

    /** Each connector stands alone; what two-phase sinks share lives in {@code twophase}. */
    @ArchTest
    static final ArchRule connectorsDoNotDependOnEachOther = slices().matching("dev.sluice.connect.(*)..")
            .should()
            .notDependOnEachOther()
            .ignoreDependency(alwaysTrue(), resideInAPackage("dev.sluice.connect.twophase.."));
}
