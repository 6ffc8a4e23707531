package dev.sluice.log;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** sluice-log sits at the bottom of the module graph: it depends on the JDK only. */
@AnalyzeClasses(packages = "dev.sluice.log", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule dependsOnTheJdkOnly = noClasses()
            .that()
            .resideInAPackage("dev.sluice.log..")
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages("dev.sluice.log..", "java..");

    @ArchTest
    static final ArchRule recordCodecDoesNotReachIntoTheStorage = noClasses()
            .that()
            .resideInAPackage("dev.sluice.log.record..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.sluice.log.internal..");
}
