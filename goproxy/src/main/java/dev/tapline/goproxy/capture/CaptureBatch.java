package dev.tapline.goproxy.capture;

/**
 * A sealed batch: the encoded {@code UploadBatch.captures} entries of up to a batch's worth of captures. The
 * uploader adds the batch id and proxy id in front when it sends it; resends send the same bytes again.
 *
 * @param bytes the encoded entries in {@code bytes[0, length)}; never changed once sealed
 * @param length how many bytes of the array are used
 * @param records how many captures
 */
public record CaptureBatch(byte[] bytes, int length, int records) {
}
