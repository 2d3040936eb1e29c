package dev.tapline.deploy.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Image;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;

/**
 * The part of {@code kustomize build} our manifests use, done on the fabric8 model, without kustomize: follows
 * {@code resources} (files and directories with their own kustomization.yaml), makes the ConfigMaps and Secrets of
 * the generators (envs files, literals, {@code behavior: merge}) and applies {@code images}. Every reference that
 * leads nowhere (a missing file, a merge without a base generator, an image entry no container uses) is recorded
 * in {@link #problems()} instead of being skipped.
 *
 * <pre>
 *   overlays/example/kustomization.yaml ──resources──▶ ../../base/kustomization.yaml ──▶ *.yaml, *.env
 *                   └──────────── generators (merge), images ────────────▶ objects + config maps + secrets
 * </pre>
 */
public final class KustomizeBuild {
    private final StrictManifestReader reader = new StrictManifestReader();
    private final List<HasMetadata> objects = new ArrayList<>();
    private final Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<Path> files = new LinkedHashSet<>();

    private KustomizeBuild() {
    }

    /** Builds the kustomization in {@code dir}. */
    public static KustomizeBuild of(Path dir) {
        KustomizeBuild build = new KustomizeBuild();
        build.load(dir.toAbsolutePath().normalize());
        return build;
    }

    public List<HasMetadata> objects() {
        return objects;
    }

    /** The generated ConfigMaps: name (without kustomize's hash suffix) to data. */
    public Map<String, Map<String, String>> configMaps() {
        return configMaps;
    }

    /** The generated Secrets: name to (clear-text) data. */
    public Map<String, Map<String, String>> secrets() {
        return secrets;
    }

    public List<String> problems() {
        return problems;
    }

    /** Every file the build read: kustomization.yaml files, resources, generator env files. */
    public Set<Path> files() {
        return files;
    }

    public <T extends HasMetadata> T get(Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    public Container container(String deployment, String container) {
        return get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + container + " in " + deployment));
    }

    private void load(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            problems.add(dir + ": no kustomization.yaml");
            return;
        }
        files.add(file);
        Kustomization k = reader.readOne(file, Kustomization.class);
        for (String resource : nonNull(k.getResources())) {
            Path target = dir.resolve(resource).normalize();
            if (Files.isDirectory(target)) {
                load(target);
            } else if (Files.isRegularFile(target)) {
                files.add(target);
                reader.read(target).forEach(m -> objects.add(m.as(HasMetadata.class)));
            } else {
                problems.add(file + ": resources entry '" + resource + "' does not exist");
            }
        }
        for (var patch : nonNull(k.getPatches())) {
            if (patch.getPath() != null && !Files.isRegularFile(dir.resolve(patch.getPath()))) {
                problems.add(file + ": patches entry '" + patch.getPath() + "' does not exist");
            } else if (patch.getPath() != null) {
                files.add(dir.resolve(patch.getPath()).normalize()); // read by kustomize (not applied here)
            }
        }
        for (var gen : nonNull(k.getConfigMapGenerator())) {
            generate(file, configMaps, gen.getName(), gen.getBehavior(), gen.getEnvs(), gen.getLiterals(),
                    gen.getFiles());
        }
        for (var gen : nonNull(k.getSecretGenerator())) {
            generate(file, secrets, gen.getName(), gen.getBehavior(), gen.getEnvs(), gen.getLiterals(),
                    gen.getFiles());
        }
        for (Image image : nonNull(k.getImages())) {
            applyImage(file, image);
        }
    }

    private void generate(Path file, Map<String, Map<String, String>> into, String name, String behavior,
            List<String> envs, List<String> literals, List<String> fileSources) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String env : nonNull(envs)) {
            Path envFile = file.getParent().resolve(env);
            if (Files.isRegularFile(envFile)) {
                this.files.add(envFile.normalize());
                data.putAll(EnvFile.read(envFile));
            } else {
                problems.add(file + ": generator " + name + " envs entry '" + env + "' does not exist");
            }
        }
        for (String literal : nonNull(literals)) {
            int eq = literal.indexOf('=');
            data.put(literal.substring(0, eq), literal.substring(eq + 1));
        }
        if (!nonNull(fileSources).isEmpty()) {
            problems.add(file + ": generator " + name + " uses files, which this check does not read");
        }
        String mode = behavior == null ? "create" : behavior;
        switch (mode) {
            case "create" -> {
                if (into.putIfAbsent(name, data) != null) {
                    problems.add(file + ": generator " + name + " creates a second object of that name");
                }
            }
            case "merge", "replace" -> {
                if (!into.containsKey(name)) {
                    problems.add(file + ": generator " + name + " has behavior " + mode + " but no base creates it");
                } else if (mode.equals("merge")) {
                    into.get(name).putAll(data);
                } else {
                    into.put(name, data);
                }
            }
            default -> problems.add(file + ": generator " + name + " has an unknown behavior '" + mode + "'");
        }
    }

    /** kustomize matches {@code images[].name} against the image name without tag or digest. */
    private void applyImage(Path file, Image image) {
        boolean used = false;
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                    String current = c.getImage();
                    int colon = current.lastIndexOf(':');
                    boolean hasTag = colon > current.lastIndexOf('/');
                    String repo = hasTag ? current.substring(0, colon) : current;
                    if (repo.equals(image.getName())) {
                        String tag = image.getNewTag() != null ? image.getNewTag()
                                : hasTag ? current.substring(colon + 1) : null;
                        String name = image.getNewName() != null ? image.getNewName() : repo;
                        c.setImage(tag == null ? name : name + ":" + tag);
                        used = true;
                    }
                }
            }
        }
        if (!used) {
            problems.add(file + ": images entry '" + image.getName() + "' matches no container image");
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
