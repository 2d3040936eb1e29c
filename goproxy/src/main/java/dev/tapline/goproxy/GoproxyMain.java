package dev.tapline.goproxy;

import java.util.List;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.log.LogShape;
import dev.tapline.common.log.StartupErrors;
import dev.tapline.goproxy.config.GoproxyEnv;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the packaged goproxy: checks the environment, then starts Quarkus. */
@QuarkusMain
public final class GoproxyMain {

    public static void main(String... args) {
        List<ConfigProblem> problems = GoproxyEnv.check(System.getenv());
        if (!problems.isEmpty()) {
            StartupErrors.print(LogShape.GOPROXY, problems);
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
