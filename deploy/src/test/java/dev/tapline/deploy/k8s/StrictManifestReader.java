package dev.tapline.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;

/**
 * Reads Kubernetes YAML into the fabric8 Kubernetes API model and refuses what the API server would refuse at the
 * schema level: a field the model does not know (a typo such as {@code replica:}), a string where a number belongs,
 * a duplicate key, a kind we do not expect.
 *
 * <p>The model classes keep unknown fields in {@code additionalProperties} (a {@code @JsonAnySetter}), which would
 * accept any typo: the deserializer modifier removes that any-setter, so Jackson reports the unknown field.
 */
public final class StrictManifestReader {
    /** "apiVersion kind" to model class: the kinds our manifests may contain. */
    private static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1 Namespace", Namespace.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 Secret", Secret.class,
            "kustomize.config.k8s.io/v1beta1 Kustomization", Kustomization.class);

    private final ObjectMapper yaml = strictMapper();

    /** One YAML document of a file, as its model object. */
    public record Manifest(Path file, int document, Object object) {
        public <T> T as(Class<T> type) {
            return type.cast(object);
        }
    }

    /** Every document of the file, in order; an empty document (a trailing "---") is skipped. */
    public List<Manifest> read(Path file) {
        List<Manifest> out = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(file.toFile())) {
            var docs = yaml.readValues(parser, JsonNode.class);
            int index = 0;
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                out.add(new Manifest(file, index, toModel(doc, file + " document " + index)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The single document of a file that must hold exactly one. */
    public <T> T readOne(Path file, Class<T> type) {
        List<Manifest> docs = read(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one document, found " + docs.size());
        }
        return docs.get(0).as(type);
    }

    private Object toModel(JsonNode doc, String where) throws IOException {
        String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
        Class<?> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(where + ": unexpected apiVersion/kind '" + key + "', expected one of "
                    + KINDS.keySet());
        }
        try {
            return yaml.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            throw new IOException(where + " (" + key + ") at " + path(e) + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The field path of a mapping error as in kubectl's messages: spec.ports[0].port. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(top)" : out.toString();
    }

    private static ObjectMapper strictMapper() {
        SimpleModule strict = new SimpleModule("strict-kubernetes-model");
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        YAMLFactory factory = new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return YAMLMapper.builder(factory)
                .addModule(strict)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // the API server takes no "8080" for an integer field
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }
}
