package dev.tapline.forwarder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.log.LogShape;
import dev.tapline.common.log.StartupErrors;
import dev.tapline.forwarder.config.ForwarderEnv;
import dev.tapline.forwarder.config.KafkaBootstrapHosts;
import dev.tapline.forwarder.config.ForwarderTuning;
import dev.tapline.forwarder.dlp.DlpRulesAtStart;
import dev.tapline.forwarder.grpcview.GrpcSchemasAtStart;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the packaged forwarder: checks the environment and the tuning values, then starts Quarkus. A bad
 * value stops the start with exit code 2 before anything listens.
 */
@QuarkusMain
public final class ForwarderMain {
    public static void main(String... args) {
        List<ConfigProblem> problems = problems(System.getenv());
        List<String> tuning = ForwarderTuning.problemsBeforeStart();
        if (!problems.isEmpty() || !tuning.isEmpty()) {
            StartupErrors.print(LogShape.FORWARDER, problems);
            StartupErrors.printMessages(LogShape.FORWARDER, tuning.stream().map(p -> "Invalid setting: " + p).toList());
            System.exit(2);
        }
        Quarkus.run(args);
    }

    /**
     * The environment's problems: each setting's, then the DLP rules file's and the gRPC descriptor sets' (loaded
     * here, once, and only when set), then whether a
     * Kafka bootstrap host resolves (only when KAFKA_BOOTSTRAP_SERVERS is set and well formed).
     */
    static List<ConfigProblem> problems(Map<String, String> env) {
        List<ConfigProblem> problems = new ArrayList<>(ForwarderEnv.check(env));
        DlpRulesAtStart.check(env).ifPresent(problems::add);
        GrpcSchemasAtStart.check(env).ifPresent(problems::add);
        if (problems.stream().noneMatch(p -> p.variable().equals("KAFKA_BOOTSTRAP_SERVERS"))) {
            KafkaBootstrapHosts.check(env).ifPresent(problems::add);
        }
        return problems;
    }
}
