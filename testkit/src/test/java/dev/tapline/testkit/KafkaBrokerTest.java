package dev.tapline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The fixture itself: a real broker answers kcat, dies on kill, and comes back on the same port with its data. */
class KafkaBrokerTest {

    @Test
    void brokerKeepsRecordsAcrossKillAndRestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            assertThat(kcat(broker, "-L")).contains("1 brokers:").contains("127.0.0.1:" + broker.port());

            kcatProduce(broker, "first");
            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            broker.restart();

            assertThat(kcat(broker, "-C", "-t", "fixture", "-o", "beginning", "-e", "-q")).isEqualTo("first\n");
        }
    }

    private static void kcatProduce(KafkaBroker broker, String value) throws Exception {
        Process p = new ProcessBuilder("kcat", "-b", broker.bootstrapServers(), "-P", "-t", "fixture",
                "-X", "acks=all").redirectErrorStream(true).start();
        p.getOutputStream().write((value + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static String kcat(KafkaBroker broker, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "kcat";
        cmd[1] = "-b";
        cmd[2] = broker.bootstrapServers();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
