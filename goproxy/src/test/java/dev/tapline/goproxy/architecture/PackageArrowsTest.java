package dev.tapline.goproxy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * goproxy's rooms reach only down:
 *
 * <pre>
 *   (root: wiring) ──▶ uplink ──▶ outbox ──▶ capture ◀── capture/http1
 *                                                 │  ◀── capture/http2
 *                                                 └──▶ relay
 * </pre>
 *
 * Checked on the compiled main classes, so an import that points up or closes a cycle fails the build.
 */
class PackageArrowsTest {
    private static final String ROOT = "dev.tapline.goproxy";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void noCycleAmongGoproxysPackages() {
        // every package is a slice, subpackages on their own (capture and capture.http1 are two slices);
        // the root package's wiring classes are one slice too
        ArchRule rule = slices().matching("dev.tapline.(**)").should().beFreeOfCycles();
        rule.check(classes);
    }

    @Test
    void theRelayDoesNotKnowTheUplink() {
        noClasses().that().resideInAPackage(ROOT + ".relay..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".uplink..")
                .check(classes);
    }

    @Test
    void theHttp1DecoderKnowsNeitherTheOutboxNorTheUplink() {
        noClasses().that().resideInAPackage(ROOT + ".capture.http1..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".outbox..", ROOT + ".uplink..")
                .check(classes);
    }

    @Test
    void theHttp2DecoderKnowsNoOtherDecoderNorAnythingDownstream() {
        noClasses().that().resideInAPackage(ROOT + ".capture.http2..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".capture.http1..", ROOT + ".outbox..",
                        ROOT + ".uplink..")
                .check(classes);
    }

    @Test
    void theOutboxDoesNotKnowTheUplink() {
        noClasses().that().resideInAPackage(ROOT + ".outbox..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".uplink..")
                .check(classes);
    }

    @Test
    void captureKnowsNoDecoderAndNothingDownstream() {
        noClasses().that().resideInAPackage(ROOT + ".capture")
                .should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".capture.http1..", ROOT + ".capture.http2..", ROOT + ".outbox..",
                        ROOT + ".uplink..")
                .check(classes);
    }
}
