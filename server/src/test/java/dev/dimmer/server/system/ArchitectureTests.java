package dev.dimmer.server.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package-by-feature structure, kept by a test rather than by review: a feature that depends on another must not
 * be depended on by it (a cycle means neither can be read, changed or tested alone), and the statistics engine is
 * plain Java that a data team can read and test without the server around it.
 */
class ArchitectureTests {

    static JavaClasses server;

    @BeforeAll
    static void importServer() {
        server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.dimmer.server");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.dimmer.server.(*)..").should().beFreeOfCycles().check(server);
    }

    @Test
    void theStatisticsArePlainJavaAndCommonsMath() {
        classes()
                .that()
                .resideInAPackage("dev.dimmer.server.stats..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.dimmer.server.stats..",
                        "java.lang..",
                        "java.util..",
                        "java.math..",
                        "java.time..",
                        "org.apache.commons.math3..")
                .check(server);
    }
}
