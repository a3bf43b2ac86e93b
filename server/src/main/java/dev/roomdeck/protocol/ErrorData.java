package dev.roomdeck.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Data of error (extension): a kebab-case code, a human sentence, and the type of the request refused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorData(String code, String message, String request) {
}
