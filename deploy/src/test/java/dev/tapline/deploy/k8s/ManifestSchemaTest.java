package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.deploy.RepoPaths;

/**
 * Every YAML file under deploy/k8s parses against the Kubernetes API model with unknown fields rejected, and the
 * reader really is strict: the mistakes kubectl would refuse are refused here too.
 */
class ManifestSchemaTest {
    private final StrictManifestReader reader = new StrictManifestReader();

    @TempDir
    Path tmp;

    @Test
    void everyManifestParsesAgainstTheApiModel() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(RepoPaths.k8s())) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : files) {
            assertThat(reader.read(file)).as(file.toString()).isNotEmpty();
        }
    }

    @Test
    void aMisspelledFieldIsRejected() throws IOException {
        Path file = write("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: i}]}
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("spec").hasMessageContaining("replica");
    }

    @Test
    void aFieldOnTheWrongLevelIsRejected() throws IOException {
        Path file = write("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  ports: [{port: 80}]
                  targetPort: 8080
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("targetPort");
    }

    @Test
    void aStringWhereTheApiWantsANumberIsRejected() throws IOException {
        Path file = write("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  ports: [{port: "80"}]
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("spec.ports[0].port");
    }

    @Test
    void aDuplicateKeyIsRejected() throws IOException {
        Path file = write("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: x}
                metadata: {name: y}
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("metadata");
    }

    @Test
    void anUnexpectedKindIsRejected() throws IOException {
        Path file = write("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: {name: x}
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("apps/v1beta1 Deployment");
    }

    @Test
    void aMisspelledKustomizationFieldIsRejected() throws IOException {
        Path file = write("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resource:
                  - a.yaml
                """);
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("resource");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("m.yaml"), yaml);
    }
}
