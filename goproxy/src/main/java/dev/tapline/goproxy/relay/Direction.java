package dev.tapline.goproxy.relay;

/** The two ways bytes flow through a relay. */
public enum Direction {
    /** Requests: client → goproxy → app. */
    CLIENT_TO_APP("client_to_app"),
    /** Responses: app → goproxy → client. */
    APP_TO_CLIENT("app_to_client");

    /** The metric tag value. */
    public final String tag;

    Direction(String tag) {
        this.tag = tag;
    }
}
