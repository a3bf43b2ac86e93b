package dev.roomdeck.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The protocol's peer_meta: {@code {id, streams}}; the id is the user of join. {@code attributes} (extension) are
 * the peer's own attributes from join, e.g. the display name; left out when the peer gave none.
 */
public record PeerMeta(String id, List<StreamMeta> streams,
                       @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode attributes) {
    public PeerMeta {
        streams = List.copyOf(streams);
    }
}
