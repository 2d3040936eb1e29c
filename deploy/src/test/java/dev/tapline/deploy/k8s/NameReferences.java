package dev.tapline.deploy.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The references between objects that the API server does not check and that fail only at run time: a ConfigMap,
 * Secret (and key) or claim that does not exist, a Service that selects no pod or targets a port no container
 * names, a probe or mount that names no port or volume, a selector that does not match its own template.
 */
public final class NameReferences {
    private NameReferences() {
    }

    public static List<String> problems(KustomizeBuild build) {
        List<String> out = new ArrayList<>();
        List<Deployment> deployments = of(build, Deployment.class);
        for (Deployment d : deployments) {
            String where = "Deployment " + d.getMetadata().getName();
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (!podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet())) {
                out.add(where + ": selector does not match the pod template's labels");
            }
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            for (Volume v : pod.getVolumes()) {
                if (v.getPersistentVolumeClaim() != null
                        && !has(build, PersistentVolumeClaim.class, v.getPersistentVolumeClaim().getClaimName())) {
                    out.add(where + ": volume " + v.getName() + " claims a missing PVC");
                }
            }
            for (Container c : pod.getContainers()) {
                container(build, pod, c, where + " container " + c.getName(), out);
            }
        }
        for (Service s : of(build, Service.class)) {
            String where = "Service " + s.getMetadata().getName();
            List<Container> selected = deployments.stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(s.getSpec().getSelector().entrySet()))
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()).toList();
            if (selected.isEmpty()) {
                out.add(where + ": selects no pod");
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                if (selected.stream().noneMatch(c -> exposes(c, p.getTargetPort()))) {
                    out.add(where + ": port " + p.getName() + " targets " + p.getTargetPort().getValue()
                            + ", which no selected container exposes");
                }
            }
        }
        return out;
    }

    private static void container(KustomizeBuild build, PodSpec pod, Container c, String where, List<String> out) {
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null && !build.configMaps().containsKey(from.getConfigMapRef().getName())) {
                out.add(where + ": envFrom names a missing ConfigMap " + from.getConfigMapRef().getName());
            }
            if (from.getSecretRef() != null && !build.secrets().containsKey(from.getSecretRef().getName())) {
                out.add(where + ": envFrom names a missing Secret " + from.getSecretRef().getName());
            }
        }
        for (EnvVar env : c.getEnv()) {
            var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
            if (ref != null && !build.secrets().getOrDefault(ref.getName(), Map.of()).containsKey(ref.getKey())) {
                out.add(where + ": env " + env.getName() + " names a missing Secret key " + ref.getName() + "/"
                        + ref.getKey());
            }
        }
        for (Probe probe : new Probe[] { c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe() }) {
            if (probe != null && probe.getHttpGet() != null && !exposes(c, probe.getHttpGet().getPort())) {
                out.add(where + ": a probe uses port " + probe.getHttpGet().getPort().getValue()
                        + ", which the container does not expose");
            }
        }
        for (var mount : c.getVolumeMounts()) {
            if (pod.getVolumes().stream().noneMatch(v -> v.getName().equals(mount.getName()))) {
                out.add(where + ": mounts a missing volume " + mount.getName());
            }
        }
    }

    private static boolean exposes(Container c, IntOrString port) {
        for (ContainerPort p : c.getPorts()) {
            if (port.getIntVal() != null ? Objects.equals(port.getIntVal(), p.getContainerPort())
                    : Objects.equals(port.getStrVal(), p.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(KustomizeBuild build, Class<? extends HasMetadata> kind, String name) {
        return of(build, kind).stream().anyMatch(o -> name.equals(o.getMetadata().getName()));
    }

    private static <T> List<T> of(KustomizeBuild build, Class<T> kind) {
        return build.objects().stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
