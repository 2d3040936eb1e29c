package dev.tapline.deploy.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.tapline.deploy.Command;
import dev.tapline.deploy.FreePort;

/**
 * An overlay as {@code kubectl kustomize} renders it, made playable by podman 4.3's {@code kube play} with as few
 * changes as podman needs; each change says why. What podman does not run (Namespace, Service) is left out, and
 * what Kubernetes would do for it is done here: a Service's name resolves to its pod's address (hostAliases).
 *
 * <pre>
 *   kubectl kustomize OVERLAY ──▶ objects ──▶ per Deployment: that Deployment + ConfigMaps + its volume claims
 *                                             ──▶ podman kube play (one Deployment at a time, in the order asked)
 * </pre>
 */
final class KubePlayManifests {
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    private final List<ObjectNode> objects = new ArrayList<>();
    /** Per container ("deployment/container"), its ports' names and numbers to the host ports we publish. */
    private final Map<String, Map<String, Integer>> hostPorts = new LinkedHashMap<>();

    KubePlayManifests(Path overlay, Path log) {
        String rendered = Command.of("kubectl", "kustomize", overlay.toString()).run(log).ok().output();
        try (var parser = YAML.getFactory().createParser(rendered)) {
            YAML.readValues(parser, ObjectNode.class).forEachRemaining(objects::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode object(String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered overlay"));
    }

    /** A rendered ConfigMap by its generator's name (kustomize appends a content hash). */
    JsonNode configMapData(String generatorName) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.at("/metadata/name").asText().startsWith(generatorName + "-")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + generatorName)).path("data");
    }

    ObjectNode container(String deployment, String name) {
        for (JsonNode c : object("Deployment", deployment).at("/spec/template/spec/containers")) {
            if (c.path("name").asText().equals(name)) {
                return (ObjectNode) c;
            }
        }
        throw new AssertionError("no container " + name + " in Deployment " + deployment);
    }

    List<String> containerNames(String deployment) {
        List<String> names = new ArrayList<>();
        object("Deployment", deployment).at("/spec/template/spec/containers")
                .forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    /** The host port (on 127.0.0.1) published for a container's port, by the port's name or number. */
    int hostPort(String deployment, String container, String port) {
        Integer p = hostPorts.getOrDefault(deployment + "/" + container, Map.of()).get(port);
        if (p == null) {
            throw new AssertionError(deployment + "/" + container + " declares no port " + port);
        }
        return p;
    }

    /** Changes every Deployment's containers (e.g. point the images at the test's registry). */
    void eachContainer(Consumer<ObjectNode> change) {
        for (ObjectNode o : objects) {
            if (o.path("kind").asText().equals("Deployment")) {
                o.at("/spec/template/spec/containers").forEach(c -> change.accept((ObjectNode) c));
            }
        }
    }

    /**
     * Writes the file {@code podman kube play} gets for one Deployment; {@code services} maps Service names to the
     * pod addresses they stand for (the Deployments played before).
     */
    Path playable(String deployment, Map<String, String> services, Path file) {
        ObjectNode d = object("Deployment", deployment).deepCopy();
        String namespace = d.at("/metadata/namespace").asText();
        // podman 4.3 starts every replica with the same host ports: one is enough to run the pod as declared
        ((ObjectNode) d.get("spec")).put("replicas", 1);
        ObjectNode pod = (ObjectNode) d.at("/spec/template/spec");
        for (JsonNode c : pod.path("containers")) {
            ObjectNode container = (ObjectNode) c;
            publishOnLoopback(deployment, container);
            inlineSecretsAndNamespace(container, namespace);
        }
        if (!services.isEmpty()) {
            // podman runs no Services (nor their DNS names): the name resolves to the pod's address instead
            ArrayNode aliases = pod.putArray("hostAliases");
            services.forEach((name, ip) -> aliases.addObject().put("ip", ip).putArray("hostnames").add(name));
        }
        // the ConfigMaps, and the volume claims this Deployment mounts (podman refuses to create a volume twice)
        List<String> claims = new ArrayList<>();
        pod.path("volumes").forEach(v -> claims.add(v.at("/persistentVolumeClaim/claimName").asText()));
        List<ObjectNode> docs = new ArrayList<>();
        for (ObjectNode o : objects) {
            String kind = o.path("kind").asText();
            if (kind.equals("ConfigMap")
                    || kind.equals("PersistentVolumeClaim") && claims.contains(o.at("/metadata/name").asText())) {
                docs.add(o);
            }
        }
        docs.add(d);
        try {
            StringBuilder yaml = new StringBuilder();
            for (ObjectNode doc : docs) {
                yaml.append(YAML.writeValueAsString(doc));
            }
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * podman 4.3 publishes a port without hostPort on the same port number of every interface: every declared
     * port gets a free host port on 127.0.0.1 instead (nothing listens beyond the machine, no clash with others).
     */
    private void publishOnLoopback(String deployment, ObjectNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode p : container.path("ports")) {
            int hostPort = FreePort.next();
            ((ObjectNode) p).put("hostPort", hostPort).put("hostIP", "127.0.0.1");
            ports.put(p.path("containerPort").asText(), hostPort);
            if (p.has("name")) {
                ports.put(p.path("name").asText(), hostPort);
            }
        }
        hostPorts.put(deployment + "/" + container.path("name").asText(), ports);
    }

    /**
     * What Kubernetes puts into the environment, where podman 4.3 cannot: it rejects {@code fieldPath:
     * metadata.namespace}, and it cannot read Secrets from kube YAML (containers/podman#17071: "secret ... is not
     * valid JSON"), so the rendered Secret's values are set as plain values.
     */
    private void inlineSecretsAndNamespace(ObjectNode container, String namespace) {
        ArrayNode env = container.has("env") ? (ArrayNode) container.get("env") : container.putArray("env");
        for (JsonNode e : env) {
            JsonNode from = e.path("valueFrom");
            if (from.at("/fieldRef/fieldPath").asText().equals("metadata.namespace")) {
                ((ObjectNode) e).remove("valueFrom");
                ((ObjectNode) e).put("value", namespace);
            } else if (from.has("secretKeyRef")) {
                String key = from.at("/secretKeyRef/key").asText();
                String value = secret(from.at("/secretKeyRef/name").asText()).get(key);
                ((ObjectNode) e).remove("valueFrom");
                ((ObjectNode) e).put("value", value == null ? "" : value);
            }
        }
        if (container.has("envFrom")) {
            ArrayNode kept = YAML.createArrayNode();
            for (JsonNode from : container.get("envFrom")) {
                if (from.has("secretRef")) {
                    secret(from.at("/secretRef/name").asText())
                            .forEach((k, v) -> env.addObject().put("name", k).put("value", v));
                } else {
                    kept.add(from);
                }
            }
            container.set("envFrom", kept);
        }
    }

    private Map<String, String> secret(String name) {
        Map<String, String> values = new LinkedHashMap<>();
        object("Secret", name).path("data").fields().forEachRemaining(f -> values.put(f.getKey(),
                new String(Base64.getDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
        return values;
    }
}
