package dev.tapline.forwarder.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import dev.tapline.forwarder.ForwarderMain;

/**
 * The forwarder's rooms reach only down: no package cycle, and none of the upward arrows that were cut (issue 20).
 * Reads the compiled main classes; tests are free to reach anywhere.
 *
 * <pre>
 *   grpc         --&gt; ingest, registry            (the top: nothing depends on grpc)
 *   ingest       --&gt; store, registry, http
 *   dlp          --&gt; ingest                       (implements its CaptureRedaction)
 *   store.sqlite --&gt; store                        (and hands the store's beans to CDI)
 *   api          --&gt; store, registry, http
 *   health       --&gt; store                        (StoreFiles, not the SQLite classes)
 *   metrics      --&gt; (meters read back by name)   (each room binds its own meters)
 *   every room   --&gt; config, auth/http leaves
 * </pre>
 */
class RoomsTest {
    private static final String FORWARDER = "dev.tapline.forwarder";

    private static JavaClasses forwarder;

    @BeforeAll
    static void importMainClasses() {
        // only the main classes' own directory (or jar): scanning the whole class path for the package is slow
        forwarder = new ClassFileImporter()
                .importUrl(ForwarderMain.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void noPackageCycles() {
        // every package its own slice (store and store.sqlite apart, the root package as "forwarder")
        slices().matching("dev.tapline.(**)").should().beFreeOfCycles().check(forwarder);
    }

    @Test
    void theRegistryDoesNotKnowTheMetricsRoom() {
        noArrow("registry", "metrics");
    }

    @Test
    void componentsBindTheirOwnMetersNobodyCallsTheMetricsRoom() {
        nothingOutsideReaches("metrics");
    }

    @Test
    void healthAsksTheStoreNotItsSqliteClasses() {
        noArrow("health", "store.sqlite");
    }

    @Test
    void theReadApiDoesNotReachIntoIngest() {
        noArrow("api", "ingest");
    }

    @Test
    void grpcIsTheTopNothingDependsOnIt() {
        nothingOutsideReaches("grpc");
    }

    @Test
    void grpcIsThinItReachesTheStoreOnlyThroughIngest() {
        noArrow("grpc", "store");
    }

    @Test
    void theSharedHttpSyntaxIsALeaf() {
        classes().that().resideInAPackage(FORWARDER + ".http..").should().onlyDependOnClassesThat()
                .resideInAnyPackage(FORWARDER + ".http..", "java..").check(forwarder);
    }

    /** No class in room {@code from} (or below it) depends on a class in room {@code to} (or below it). */
    private static void noArrow(String from, String to) {
        noClasses().that().resideInAPackage(FORWARDER + "." + from + "..").should().dependOnClassesThat()
                .resideInAPackage(FORWARDER + "." + to + "..").check(forwarder);
    }

    /** Only classes in room {@code room} (or below it) depend on it: it is a top, nothing builds on it. */
    private static void nothingOutsideReaches(String room) {
        noClasses().that().resideOutsideOfPackage(FORWARDER + "." + room + "..").should().dependOnClassesThat()
                .resideInAPackage(FORWARDER + "." + room + "..").check(forwarder);
    }
}
