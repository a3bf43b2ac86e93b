package dev.roomdeck.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of configure (both directions). {@code video}/{@code audio}: false = muted, true = unmuted, absent =
 * unchanged. Server → client adds {@code by}: "peer" (the owner) or "operator" (an extension).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigureData(String id, String msid, Boolean local, Boolean remote, Boolean video, Boolean audio, String by) {
}
