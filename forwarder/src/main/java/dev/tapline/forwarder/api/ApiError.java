package dev.tapline.forwarder.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every error answer of the read API: what went wrong and, for a bad parameter, which one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String parameter) {

    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
