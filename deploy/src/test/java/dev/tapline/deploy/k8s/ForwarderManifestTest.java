package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.tapline.deploy.RepoPaths;

/**
 * The forwarder's base manifests say what the README and deploy/forwarder.list say: the same settings, the
 * documented ports and health paths, a non-root read-only container, the store on a volume at DATA_DIR.
 */
class ForwarderManifestTest {
    private static final Set<String> SECRETS = Set.of("FORWARDER_TOKEN", "API_TOKEN");

    private final KustomizeBuild base = KustomizeBuild.of(RepoPaths.k8s().resolve("base"));
    private final Deployment deployment = base.get(Deployment.class, "forwarder");
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container forwarder = base.container("forwarder", "forwarder");
    private final Map<String, String> config = base.configMaps().get("forwarder-config");
    private final Map<String, String> tokens = base.secrets().get("forwarder-tokens");

    @Test
    void configMapAndSecretHoldTheKeysOfForwarderList() {
        Map<String, String> list = EnvFile.read(RepoPaths.deploy().resolve("forwarder.list"));
        Set<String> inManifests = new HashSet<>(config.keySet());
        inManifests.addAll(tokens.keySet());
        forwarder.getEnv().forEach(e -> inManifests.add(e.getName()));

        assertThat(inManifests).containsExactlyInAnyOrderElementsOf(list.keySet());
        assertThat(tokens.keySet()).containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(config).doesNotContainKeys(SECRETS.toArray(String[]::new));
        config.forEach((key, value) -> assertThat(value).as(key + " as in forwarder.list").isEqualTo(list.get(key)));
    }

    @Test
    void thePodNamespaceComesFromTheDownwardApi() {
        EnvVar namespace = forwarder.getEnv().stream().filter(e -> e.getName().equals("APP_POD_NAMESPACE"))
                .findFirst().orElseThrow();
        assertThat(namespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    }

    @Test
    void portsAreTheConfiguredOnesAndTheServiceExposesBoth() {
        assertThat(port("grpc")).isEqualTo(Integer.parseInt(config.get("SERVICE_PORT"))).isEqualTo(8888);
        assertThat(port("http")).isEqualTo(Integer.parseInt(config.get("HTTP_PORT"))).isEqualTo(8889);
        Service service = base.get(Service.class, "forwarder");
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactlyInAnyOrder(8888, 8889);
    }

    @Test
    void probesUseTheHealthEndpointsOnTheHttpPort() {
        assertThat(forwarder.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(forwarder.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(forwarder.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(forwarder.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(forwarder.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void requestsAndLimitsAreSet() {
        assertThat(forwarder.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(forwarder.getResources().getLimits()).containsKeys("cpu", "memory");
    }

    @Test
    void runsAsTheImagesNonRootUserWithAReadOnlyRoot() {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(forwarder.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(forwarder.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(forwarder.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theStoreIsAVolumeAtDataDirAndTmpIsWritable() {
        assertThat(volumeAt(config.get("DATA_DIR")).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("forwarder-data");
        assertThat(volumeAt("/tmp").getEmptyDir()).isNotNull();
    }

    @Test
    void oneWriterForTheStore() {
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void theImageIsTheProjectsVersion() {
        assertThat(forwarder.getImage()).isEqualTo("tapline/forwarder:" + RepoPaths.version());
    }

    private int port(String name) {
        return forwarder.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getContainerPort();
    }

    private Volume volumeAt(String path) {
        VolumeMount mount = forwarder.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + path));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    }
}
