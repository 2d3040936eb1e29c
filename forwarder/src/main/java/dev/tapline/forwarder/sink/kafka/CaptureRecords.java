package dev.tapline.forwarder.sink.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;

import dev.tapline.capture.v1.Capture;
import dev.tapline.forwarder.api.CaptureView;
import dev.tapline.forwarder.config.KafkaConfig.Format;
import dev.tapline.forwarder.grpcview.GrpcSchemas;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * One capture as a Kafka record: key {@code proxyId/cid} (one connection's exchanges in one partition, in order),
 * value the read API's capture JSON or the contract's {@code Capture} bytes (KAFKA_FORMAT), and headers saying what
 * it is without decoding it. The headers also carry what the indexer needs besides the Capture message to store it
 * (pod name, cluster): the protobuf value has no place for them.
 */
public final class CaptureRecords {
    public static final String ID = "capture-id";
    public static final String APP_LABEL = "app-label";
    public static final String L7PROTOCOL = "l7protocol";
    public static final String POD_NAME = "pod-name";
    public static final String CLUSTER = "cluster";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";
    public static final String PROTOBUF = "application/x-protobuf; messageType=tapline.capture.v1.Capture";

    private final String topic;
    private final Format format;
    private final ObjectMapper json;
    private final GrpcSchemas grpcSchemas;

    public CaptureRecords(String topic, Format format, ObjectMapper json) {
        this(topic, format, json, GrpcSchemas.NONE);
    }

    /** @param grpcSchemas GRPC_DESCRIPTOR_SET's methods, so that JSON values decode gRPC messages as the read API does */
    public CaptureRecords(String topic, Format format, ObjectMapper json, GrpcSchemas grpcSchemas) {
        this.topic = topic;
        this.format = format;
        this.json = json;
        this.grpcSchemas = grpcSchemas;
    }

    public ProducerRecord<String, byte[]> of(StoredCapture row) {
        byte[] value;
        String l7protocol;
        long cid;
        if (format == Format.JSON) {
            CaptureView view = CaptureView.of(row, grpcSchemas);
            try {
                value = json.writeValueAsBytes(view);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("capture " + row.id() + " has no JSON form: " + e.getMessage(), e);
            }
            l7protocol = view.l7protocol();
            cid = view.cid();
        } else {
            // the record as it is; of the rest only the key's and headers' fields are read, the bodies not even
            // copied (a view of a 64 KiB capture cost more than publishing it: its bodies in base64)
            value = row.record();
            Capture c = head(row);
            l7protocol = CaptureView.l7protocol(c);
            cid = c.getCid();
        }
        RecordHeaders headers = new RecordHeaders();
        add(headers, ID, row.id());
        add(headers, APP_LABEL, row.appLabel());
        add(headers, L7PROTOCOL, l7protocol);
        add(headers, POD_NAME, row.podName());
        add(headers, CLUSTER, row.cluster());
        add(headers, CONTENT_TYPE, format == Format.JSON ? JSON : PROTOBUF);
        return new ProducerRecord<>(topic, null, key(row.proxyId(), cid), value, headers);
    }

    /** The capture with its bytes fields aliasing the record (no copy of the bodies). */
    private static Capture head(StoredCapture row) {
        // an immutable input: over a plain array (CodedInputStream.newInstance) protobuf copies the bodies anyway
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(row.record()).newCodedInput();
        in.enableAliasing(true);
        try {
            return Capture.parseFrom(in);
        } catch (IOException e) {
            throw new StoreException("capture " + row.id() + " is not a Capture message: " + e.getMessage(), e);
        }
    }

    public static String key(String proxyId, long cid) {
        return proxyId + "/" + cid;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
