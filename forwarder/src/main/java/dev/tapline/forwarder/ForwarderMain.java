package dev.tapline.forwarder;

import java.util.List;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.log.LogShape;
import dev.tapline.common.log.StartupErrors;
import dev.tapline.forwarder.config.ForwarderEnv;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the packaged forwarder: checks the environment, then starts Quarkus. */
@QuarkusMain
public final class ForwarderMain {
    public static void main(String... args) {
        List<ConfigProblem> problems = ForwarderEnv.check(System.getenv());
        if (!problems.isEmpty()) {
            StartupErrors.print(LogShape.FORWARDER, problems);
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
