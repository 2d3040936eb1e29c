package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.tapline.deploy.RepoPaths;

/**
 * overlays/kafka as kubectl builds it (patches applied): N stateless ingest forwarders behind the Service the
 * goproxies use, one indexer on the store's volume, both pointed at the same Kafka.
 */
class KafkaOverlayTest {
    private static List<HasMetadata> objects;

    @BeforeAll
    static void build(@TempDir Path tmp) throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed (.ci/run installs it)");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize",
                RepoPaths.k8s().resolve("overlays/kafka").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Path built = Files.writeString(tmp.resolve("built.yaml"), out);
        objects = new StrictManifestReader().read(built).stream().map(m -> m.as(HasMetadata.class)).toList();
    }

    private static <T extends HasMetadata> T get(Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> config(String prefix) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().startsWith(prefix + "-")
                        && !c.getMetadata().getName().startsWith(prefix + "-indexer"))
                .findFirst().orElseThrow().getData();
    }

    @Test
    void severalStatelessIngestForwardersPublishToKafkaBehindTheProxiesService() {
        Deployment ingest = get(Deployment.class, "forwarder");
        PodSpec pod = ingest.getSpec().getTemplate().getSpec();
        assertThat(ingest.getSpec().getReplicas()).isGreaterThan(1);
        assertThat(ingest.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("data")).singleElement()
                .satisfies(v -> {
                    assertThat(v.getPersistentVolumeClaim()).isNull();
                    assertThat(v.getEmptyDir()).isNotNull();
                });
        assertThat(config("forwarder")).containsEntry("SINK", "kafka").containsKey("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(get(Service.class, "forwarder").getSpec().getSelector())
                .isEqualTo(ingest.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void oneIndexerConsumesIntoTheStoreVolumeAndServesTheReadApi() {
        Deployment indexer = get(Deployment.class, "forwarder-indexer");
        PodSpec pod = indexer.getSpec().getTemplate().getSpec();
        assertThat(indexer.getSpec().getReplicas()).isEqualTo(1);
        assertThat(indexer.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                .isEqualTo("forwarder-data"));
        List<String> envFrom = pod.getContainers().get(0).getEnvFrom().stream()
                .map(e -> e.getConfigMapRef() != null ? e.getConfigMapRef().getName() : e.getSecretRef().getName())
                .toList();
        assertThat(envFrom.get(envFrom.size() - 1)).as("the indexer's settings come last and win")
                .startsWith("forwarder-indexer-config-");
        Map<String, String> own = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().startsWith("forwarder-indexer-config-")).findFirst()
                .orElseThrow().getData();
        assertThat(own).containsEntry("INDEX_FROM_KAFKA", "true").containsEntry("SINK", "store");
        assertThat(get(Service.class, "forwarder-indexer").getSpec().getSelector())
                .isEqualTo(indexer.getSpec().getSelector().getMatchLabels())
                .isNotEqualTo(get(Service.class, "forwarder").getSpec().getSelector());
    }
}
