package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.tapline.deploy.RepoPaths;

/**
 * The kustomize layout holds together without kustomize: every kustomization's resources, generator files and
 * image entries exist, the objects' names reference each other correctly, and no file lies around unused.
 */
class KustomizeReferencesTest {

    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> walk = Files.walk(RepoPaths.k8s())) {
            return walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent)
                    .sorted().toList();
        }
    }

    @Test
    void thereIsABaseAndAnOverlay() throws IOException {
        assertThat(kustomizations()).contains(RepoPaths.k8s().resolve("base"),
                RepoPaths.k8s().resolve("overlays/example"));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyReferencedFileExists(Path dir) {
        assertThat(KustomizeBuild.of(dir).problems()).as(dir.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void objectsReferenceEachOtherByNamesThatExist(Path dir) {
        assertThat(NameReferences.problems(KustomizeBuild.of(dir))).as(dir.toString()).isEmpty();
    }

    @Test
    void everyFileUnderK8sIsUsedByAKustomization() throws IOException {
        Set<Path> used = new HashSet<>();
        for (Path dir : kustomizations()) {
            used.addAll(KustomizeBuild.of(dir).files());
        }
        try (Stream<Path> walk = Files.walk(RepoPaths.k8s())) {
            List<Path> unused = walk.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize())
                    .filter(p -> !used.contains(p)).toList();
            assertThat(unused).as("files no kustomization reads").isEmpty();
        }
    }
}
