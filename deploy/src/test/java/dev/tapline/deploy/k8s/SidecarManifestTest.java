package dev.tapline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import dev.tapline.deploy.RepoPaths;

/**
 * The example overlay: an app with goproxy as its sidecar, set up with the manual's variables the way a pod needs
 * them (the app on localhost, the pod's own name and namespace, the forwarder by its Service name), with the probes
 * on goproxy's health port and the app's Service pointing at goproxy, not at the app.
 */
class SidecarManifestTest {
    private final KustomizeBuild example = KustomizeBuild.of(RepoPaths.k8s().resolve("overlays/example"));
    private final Container goproxy = example.container("example-app", "goproxy");
    private final Container app = example.container("example-app", "app");
    private final Map<String, EnvVar> env = goproxy.getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> e));

    @Test
    void goproxyRelaysToTheAppInTheSamePod() {
        assertThat(value("PROXY_TYPE")).isEqualTo("reverse");
        assertThat(value("REVERSE_PROXY_HOST")).isEqualTo("localhost");
        assertThat(Integer.parseInt(value("REVERSE_PROXY_PORT"))).isEqualTo(app.getPorts().get(0).getContainerPort());
        assertThat(Integer.parseInt(value("PROXY_IN_PORT"))).isEqualTo(port(goproxy, "proxy")).isEqualTo(4143);
        assertThat(value("APP_LABEL")).isNotBlank();
    }

    @Test
    void podNameAndNamespaceComeFromTheDownwardApi() {
        assertThat(env.get("APP_POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("APP_POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
    }

    @Test
    void theForwarderIsReachedByItsServiceNameAndGrpcPort() {
        Service forwarder = example.get(Service.class, "forwarder");
        int grpc = forwarder.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc")).findFirst()
                .orElseThrow().getPort();
        assertThat(value("FORWARDER_ADDR")).isEqualTo("forwarder:" + grpc).isEqualTo("forwarder:8888");
        assertThat(env.get("FORWARDER_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo("forwarder-tokens");
    }

    @Test
    void probesUseGoproxysHealthPort() {
        assertThat(port(goproxy, "metrics")).isEqualTo(4145);
        assertThat(goproxy.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(goproxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(goproxy.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(goproxy.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    }

    @Test
    void theAppsServiceSendsClientsThroughGoproxy() {
        ServicePort port = example.get(Service.class, "example-app").getSpec().getPorts().get(0);
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("proxy");
    }

    @Test
    void goproxyRunsNonRootReadOnlyWithLimits() {
        assertThat(goproxy.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(goproxy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(goproxy.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(goproxy.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(goproxy.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(goproxy.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    }

    @Test
    void theOverlayUsesItsRegistryAndSettings() {
        assertThat(goproxy.getImage()).isEqualTo("localhost:5001/tapline/goproxy:" + RepoPaths.version());
        assertThat(example.container("forwarder", "forwarder").getImage())
                .isEqualTo("localhost:5001/tapline/forwarder:" + RepoPaths.version());
        assertThat(example.configMaps().get("forwarder-config")).containsEntry("CLUSTER_NAME", "example")
                .containsEntry("SERVICE_PORT", "8888");
    }

    private String value(String name) {
        assertThat(env).containsKey(name);
        return env.get(name).getValue();
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getContainerPort();
    }
}
