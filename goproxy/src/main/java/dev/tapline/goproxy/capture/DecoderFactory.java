package dev.tapline.goproxy.capture;

/**
 * Opens a {@link StreamDecoder} for one connection whose protocol was detected. The tap knows decoders only through
 * this, so a decoder package (capture/http1, ...) depends on capture and never the other way round.
 */
@FunctionalInterface
public interface DecoderFactory {

    StreamDecoder open(ExchangeListener listener);
}
