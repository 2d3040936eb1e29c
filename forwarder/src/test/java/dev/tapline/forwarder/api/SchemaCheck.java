package dev.tapline.forwarder.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a JSON value against an OpenAPI 3 schema, structurally: {@code $ref} into components, {@code anyOf} /
 * {@code oneOf} (one fitting option is enough), {@code type} (one or a list, "null" included), {@code items}, {@code properties} with {@code required}, and no property
 * that the schema does not declare (a field the document forgot is a failure, not a pass). Formats are not checked.
 */
public final class SchemaCheck {
    private final JsonNode document;
    private final List<String> problems = new ArrayList<>();

    private SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** What does not fit, one line each with its JSON pointer; empty when the value fits. */
    public static List<String> problems(JsonNode document, JsonNode schema, JsonNode value) {
        SchemaCheck check = new SchemaCheck(document);
        check.check(schema, value, "");
        return check.problems;
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local $ref: " + ref);
            }
            schema = document.at(ref.substring(1));
            if (schema.isMissingNode()) {
                throw new IllegalArgumentException("dangling $ref: " + ref);
            }
        }
        return schema;
    }

    private void check(JsonNode schemaOrRef, JsonNode value, String at) {
        JsonNode schema = resolve(schemaOrRef);
        for (String choice : new String[] { "anyOf", "oneOf" }) {
            if (schema.has(choice)) {
                List<String> all = new ArrayList<>();
                for (JsonNode option : schema.get(choice)) {
                    SchemaCheck one = new SchemaCheck(document);
                    one.check(option, value, at);
                    if (one.problems.isEmpty()) {
                        return;
                    }
                    all.addAll(one.problems);
                }
                problems.add(at + ": fits none of " + choice + " " + all);
                return;
            }
        }
        Set<String> types = new HashSet<>();
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type != null) {
            types.add(type.asText());
        }
        if (schema.path("nullable").asBoolean(false)) {
            types.add("null");
        }
        String actual = typeOf(value);
        if (!types.isEmpty() && !types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
            problems.add(at + ": " + actual + " where the schema says " + types);
            return;
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "/" + i);
            }
        }
        if (value.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!props.has(name)) {
                    problems.add(at + "/" + name + ": not in the schema");
                } else {
                    check(props.get(name), value.get(name), at + "/" + name);
                }
            }
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(at + "/" + required.asText() + ": required, missing");
                }
            }
        }
    }

    private static String typeOf(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return v.isArray() ? "array" : "object";
    }
}
