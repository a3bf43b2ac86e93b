package dev.roomdeck.sdp;

import java.util.List;

/** An {@code a=ssrc-group:<semantics> <ssrc>...} line, e.g. FID (media + RTX) or SIM (simulcast layers). */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }
}
