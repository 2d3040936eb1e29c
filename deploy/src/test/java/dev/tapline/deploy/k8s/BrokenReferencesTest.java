package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of {@link KustomizeBuild} and {@link NameReferences} find what they claim to find. */
class BrokenReferencesTest {
    @TempDir
    Path dir;

    @Test
    void missingFilesAndUnusedImageEntriesAreReported() throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [gone.yaml]
                configMapGenerator:
                  - {name: c, envs: [gone.env]}
                  - {name: d, behavior: merge, literals: [A=1]}
                images:
                  - {name: nobody/uses-this, newTag: "1"}
                """);
        assertThat(KustomizeBuild.of(dir).problems()).hasSize(4).anyMatch(p -> p.contains("gone.yaml"))
                .anyMatch(p -> p.contains("gone.env")).anyMatch(p -> p.contains("no base creates it"))
                .anyMatch(p -> p.contains("nobody/uses-this"));
    }

    @Test
    void namesThatLeadNowhereAreReported() throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [app.yaml]
                """);
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          envFrom: [{configMapRef: {name: missing-config}}]
                          ports: [{name: http, containerPort: 80}]
                          readinessProbe: {httpGet: {path: /, port: metrics}}
                          volumeMounts: [{name: missing-volume, mountPath: /tmp}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app}
                spec:
                  selector: {app: a}
                  ports: [{name: web, port: 80, targetPort: web}]
                """);
        assertThat(NameReferences.problems(KustomizeBuild.of(dir))).hasSize(4)
                .anyMatch(p -> p.contains("missing-config")).anyMatch(p -> p.contains("port metrics"))
                .anyMatch(p -> p.contains("missing-volume")).anyMatch(p -> p.contains("targets web"));
    }
}
