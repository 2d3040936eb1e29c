package dev.tapline.deploy.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tapline.deploy.Command;

/**
 * podman as root on this kind of machine, where there is no Docker engine: its own storage in a scratch dir (no
 * trace in /var/lib/containers), runc (crun fails on this cgroup setup), cgroupfs (no systemd), events to a file
 * (no journald), host networking (no bridge plugins or iptables needed), ulimits given explicitly (podman's
 * defaults fail with "setrlimit ... Operation not permitted"). Every container it starts is removed by
 * {@link #close()}, and so is the storage.
 */
final class Podman implements AutoCloseable {
    private final Path dir;
    private final Path logs;
    private final List<String> started = new ArrayList<>();

    Podman(Path logs) {
        this.logs = logs;
        try {
            // short and under /tmp: conmon's socket paths live under the run root and are limited to 108 bytes
            this.dir = Files.createTempDirectory("tapline-podman");
            // `kube play` has no --ulimit: the same limits as podman run's, as defaults
            Files.writeString(dir.resolve("containers.conf"),
                    "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pulls from a plain-HTTP registry; returns how long it took. */
    Duration pull(String image) {
        return podman("pull", "--tls-verify=false", image).ok().took();
    }

    /** The manual's {@code docker run --detach}, here on the host network with a read-only root. */
    void runDetached(String name, String image, List<String> options) {
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network=host",
                "--read-only", "--tmpfs", "/tmp:rw,exec,mode=1777",
                "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"));
        args.addAll(options);
        args.add(image);
        started.add(name);
        podman(args.toArray(String[]::new)).ok();
    }

    String logs(String name) {
        return podman("logs", name).ok().output();
    }

    /** The image's config as podman sees it (user, entrypoint, exposed ports, labels), as JSON. */
    String inspectImage(String image) {
        return podman("image", "inspect", image).ok().output();
    }

    Command.Result podman(String... args) {
        List<String> argv = new ArrayList<>(globalOptions());
        argv.addAll(List.of(args));
        return Command.of(argv).env(Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString()))
                .timeout(Duration.ofMinutes(3)).run(logs.resolve("podman-" + args[0] + ".log"));
    }

    /**
     * A {@code docker} command in {@code bin}: this podman, for running a document's {@code docker run} lines as
     * written (same storage, so the images pulled here are found).
     */
    Path dockerCommand(Path bin) {
        try {
            Files.createDirectories(bin);
            Path docker = bin.resolve("docker");
            Files.writeString(docker, "#!/bin/sh\nCONTAINERS_CONF=" + dir.resolve("containers.conf") + " exec "
                    + String.join(" ", globalOptions()) + " \"$@\"\n");
            docker.toFile().setExecutable(true);
            return docker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> globalOptions() {
        return List.of("podman",
                "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
                "--tmpdir", dir.resolve("tmp").toString(), "--storage-driver", "overlay",
                "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                // the networks `kube play` creates stay in our dir, not in /etc/cni/net.d
                "--network-config-dir", dir.resolve("networks").toString());
    }

    /**
     * {@code podman kube play} of a YAML file on the pod network (a bridge with its own address per pod, ports
     * published as the file's hostPorts), pulling from a plain-HTTP registry.
     */
    void kubePlay(Path yaml) {
        podman("kube", "play", "--tls-verify=false", yaml.toString()).ok();
    }

    /** The pods of {@code yaml} (containers and pods; the volumes stay until {@link #close()}). */
    void kubeDown(Path yaml) {
        podman("kube", "down", yaml.toString()).ok();
    }

    /** The address of a pod on the pod network, as a Service in front of it would reach it. */
    String podIp(String pod) {
        String infra = podman("pod", "inspect", pod, "--format", "{{.InfraContainerID}}").ok().tail(1).strip();
        return podman("inspect", infra, "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
                .ok().tail(1).strip();
    }

    /** Removes our containers and pods (SIGTERM, then SIGKILL after 10 s), volumes, images and the storage. */
    @Override
    public void close() {
        for (String name : started) {
            podman("rm", "--force", "--time", "10", name);
        }
        podman("rm", "--all", "--force");
        podman("pod", "rm", "--all", "--force");
        podman("volume", "rm", "--all", "--force");
        // kube play's network: removing it also removes its bridge (cni-podmanN), which outlives our dir otherwise
        podman("network", "rm", "--force", "podman-default-kube-network");
        podman("rmi", "--all", "--force");
        // podman keeps its overlay dir mounted on itself; without this umount, rm -rf fails with EBUSY
        Command.of("umount", dir.resolve("root/overlay").toString()).run();
        Command.of("rm", "-rf", "--one-file-system", dir.toString()).run();
    }
}
