package dev.tapline.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class ManualJsonFormatterTest {
    private static final Instant AT = Instant.parse("2020-12-13T14:18:30.758Z");

    private static ExtLogRecord record(Level level, String msg, Object... params) {
        ExtLogRecord r = new ExtLogRecord(level, msg, ExtLogRecord.FormatStyle.PRINTF, ManualJsonFormatterTest.class.getName());
        r.setInstant(AT);
        r.setParameters(params);
        return r;
    }

    @Test
    void forwarderLinesHaveTheLogrusShape() {
        String line = new ManualJsonFormatter(LogShape.FORWARDER).format(record(Level.INFO, "SERVICE_PORT: %d", 8888));
        assertThat(line).isEqualTo("{\"level\":\"info\",\"msg\":\"SERVICE_PORT: 8888\",\"time\":\"2020-12-13T14:18:30Z\"}\n");
    }

    @Test
    void goproxyLinesHaveTheZapShapeWithFieldsAtTheTopLevel() {
        String line = new ManualJsonFormatter(LogShape.GOPROXY).format(record(org.jboss.logmanager.Level.DEBUG,
                "HTTP REQUEST", LogFields.of("remoteAddr", "172.17.0.1:46450", "cid", 0L, "url", "/product")));
        assertThat(line).isEqualTo("{\"info\":\"DEBUG\",\"T\":\"2020-12-13T14:18:30.758Z\",\"M\":\"HTTP REQUEST\","
                + "\"remoteAddr\":\"172.17.0.1:46450\",\"cid\":0,\"url\":\"/product\"}\n");
    }

    @Test
    void escapesLikeGoEncodingJson() {
        String line = new ManualJsonFormatter(LogShape.FORWARDER)
                .format(record(Level.INFO, "REGISTER proxy ID a at timestamp <nil> \"q\"\n"));
        assertThat(line).contains("\"msg\":\"REGISTER proxy ID a at timestamp \\u003cnil\\u003e \\\"q\\\"\\n\"");
    }

    @Test
    void warningAndErrorLevelNamesFollowEachShape() {
        assertThat(new ManualJsonFormatter(LogShape.FORWARDER).format(record(Level.WARNING, "w"))).startsWith("{\"level\":\"warning\"");
        assertThat(new ManualJsonFormatter(LogShape.GOPROXY).format(record(org.jboss.logmanager.Level.ERROR, "e"))).startsWith("{\"info\":\"ERROR\"");
        assertThat(new ManualJsonFormatter(LogShape.GOPROXY).format(record(Level.WARNING, "w"))).startsWith("{\"info\":\"WARN\"");
    }

    @Test
    void aFieldNeverReplacesAFixedKeyAndExceptionsAreKept() {
        ExtLogRecord r = record(Level.SEVERE, "boom", LogFields.of("msg", "sneaky"));
        r.setThrown(new IllegalStateException("broken pipe"));
        String line = new ManualJsonFormatter(LogShape.FORWARDER).format(r);
        assertThat(line).contains("\"msg\":\"boom\"").contains("\"fields.msg\":\"sneaky\"")
                .contains("\"error\":\"broken pipe\"").contains("\"stacktrace\":\"java.lang.IllegalStateException: broken pipe\\n");
    }
}
