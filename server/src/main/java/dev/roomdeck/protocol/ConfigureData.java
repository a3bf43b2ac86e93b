package dev.roomdeck.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of configure (both directions). {@code video}/{@code audio}: false = muted, true = unmuted, absent =
 * unchanged. Server → client adds {@code by}: "peer" (the owner) or "operator" (an extension), and, when the
 * message is about one kind only, {@code muting} (the RTCEngine SDK's form: the kind's key is present and
 * {@code muting} says whether it is now muted).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigureData(String id, String msid, Boolean local, Boolean remote, Boolean video, Boolean audio,
                            String by, Boolean muting) {

    /** A configure for receivers: {@code muting} is filled in when exactly one kind is named. */
    public static ConfigureData notice(String id, String msid, boolean local, Boolean video, Boolean audio, String by) {
        Boolean muting = (video == null) == (audio == null) ? null : !(video != null ? video : audio);
        return new ConfigureData(id, msid, local, false, video, audio, by, muting);
    }
}
