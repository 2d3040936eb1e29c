package dev.tapline.forwarder.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.tapline.capture.v1.Capture;
import dev.tapline.forwarder.api.CaptureView;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.sink.kafka.CaptureRecords;
import dev.tapline.forwarder.store.StoredCapture;

/** A captures-topic record (either KAFKA_FORMAT, told apart by its content-type header) as a row for the store. */
final class KafkaRecords {
    private final ObjectMapper json;

    KafkaRecords(ObjectMapper json) {
        this.json = json;
    }

    /** @throws IllegalArgumentException when the record is not a capture in either format */
    StoredCapture row(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("no value");
        }
        String type = header(record, CaptureRecords.CONTENT_TYPE);
        long at = record.timestamp() * 1_000_000L;
        try {
            if (type.startsWith("application/x-protobuf")) {
                // the value is the stored record as the ingest node encoded it (after DLP): kept, not encoded again,
                // and read only for the store's columns
                Capture c = CaptureColumns.of(record.value());
                return BatchPreparer.row(c, record.value(), header(record, CaptureRecords.APP_LABEL),
                        header(record, CaptureRecords.POD_NAME), header(record, CaptureRecords.CLUSTER), at);
            }
            CaptureView view = json.readValue(record.value(), CaptureView.class);
            return BatchPreparer.row(CaptureFromJson.capture(view), view.appLabel(), view.podName(), view.cluster(), at);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a Capture message: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not the read API's capture JSON: " + e.getMessage(), e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
