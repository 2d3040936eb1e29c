package dev.tapline.forwarder.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a document against the fields HAR 1.2 requires (http://www.softwareishard.com/blog/har-12-spec/):
 * every required field present with its type, times and sizes in range, URLs absolute.
 */
final class HarAssert {
    private HarAssert() {
    }

    static void assertValidHar12(String document) {
        JsonNode log;
        try {
            log = new ObjectMapper().readTree(document).path("log");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + e, e);
        }
        assertThat(log.path("version").asText()).isEqualTo("1.2");
        text(log.path("creator"), "name");
        text(log.path("creator"), "version");
        assertThat(log.path("entries").isArray()).as("log.entries is an array").isTrue();
        for (JsonNode entry : log.path("entries")) {
            entry(entry);
        }
    }

    private static void entry(JsonNode e) {
        OffsetDateTime.parse(text(e, "startedDateTime"));
        assertThat(number(e, "time")).isGreaterThanOrEqualTo(0);
        assertThat(e.path("cache").isObject()).as("cache is an object").isTrue();
        JsonNode timings = e.path("timings");
        for (String required : new String[] { "send", "wait", "receive" }) {
            assertThat(number(timings, required)).as("timings.%s", required).isGreaterThanOrEqualTo(0);
        }
        request(e.path("request"));
        response(e.path("response"));
    }

    private static void request(JsonNode r) {
        text(r, "method");
        assertThat(text(r, "url")).matches("https?://.+");
        text(r, "httpVersion");
        nameValues(r, "cookies");
        nameValues(r, "headers");
        nameValues(r, "queryString");
        number(r, "headersSize");
        number(r, "bodySize");
        if (r.has("postData")) {
            JsonNode post = r.path("postData");
            text(post, "mimeType");
            nameValues(post, "params");
            text(post, "text");
        }
    }

    private static void response(JsonNode r) {
        number(r, "status");
        text(r, "statusText");
        text(r, "httpVersion");
        nameValues(r, "cookies");
        nameValues(r, "headers");
        JsonNode content = r.path("content");
        assertThat(number(content, "size")).isGreaterThanOrEqualTo(0);
        text(content, "mimeType");
        if (content.has("encoding")) {
            assertThat(text(content, "encoding")).isEqualTo("base64");
        }
        text(r, "redirectURL");
        number(r, "headersSize");
        number(r, "bodySize");
    }

    private static String text(JsonNode node, String field) {
        assertThat(node.path(field).isTextual()).as("%s is a string in %s", field, node).isTrue();
        return node.path(field).asText();
    }

    private static double number(JsonNode node, String field) {
        assertThat(node.path(field).isNumber()).as("%s is a number in %s", field, node).isTrue();
        return node.path(field).asDouble();
    }

    private static void nameValues(JsonNode node, String field) {
        assertThat(node.path(field).isArray()).as("%s is an array in %s", field, node).isTrue();
        for (JsonNode item : node.path(field)) {
            text(item, "name");
            if (!field.equals("params")) {
                text(item, "value");
            }
        }
    }
}
