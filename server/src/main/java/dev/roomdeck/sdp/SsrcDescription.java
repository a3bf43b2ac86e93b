package dev.roomdeck.sdp;

import java.util.Map;

/** The {@code a=ssrc:<ssrc> <attribute>:<value>} lines for one SSRC, attribute name to value, in order. */
public record SsrcDescription(long ssrc, Map<String, String> attributes) {
    public SsrcDescription {
        attributes = Map.copyOf(attributes);
    }

    public String cname() {
        return attributes.get("cname");
    }

    /** The msid attribute, else one built from the old mslabel/label pair, else null. */
    public Msid msid() {
        Msid m = Msid.parse(attributes.get("msid"));
        if (m != null) {
            return m;
        }
        String stream = attributes.get("mslabel");
        String track = attributes.get("label");
        return stream == null && track == null ? null : new Msid(stream == null ? "-" : stream, track);
    }
}
