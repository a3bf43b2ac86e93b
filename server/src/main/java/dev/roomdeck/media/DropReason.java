package dev.roomdeck.media;

/**
 * Why a packet was dropped, for every stage of the packet path: the shared port, a peer's transport (SRTP, DTLS),
 * and forwarding (a peer's tracks). {@link #code()} is the key used in {@link PacketSnapshot#drops()}, the admin
 * API and /metrics.
 */
public enum DropReason {
    /** First byte is neither DTLS nor RTP/RTCP (RFC 7983), or the RTP/RTCP header is malformed. */
    NOT_RTP("not-rtp"),
    /** Media before the SRTP keys exist (either direction). */
    BEFORE_READY("before-ready"),
    SRTP_AUTH("srtp-auth"),
    /** An SRTP packet (or SRTCP index) that already arrived once: a duplicate or a replay. */
    SRTP_REPLAY("srtp-replay"),
    /** An SRTP packet older than the replay window (1,024 packets, {@link ReplayWindow}): cannot tell, so refused. */
    SRTP_TOO_OLD("srtp-too-old"),
    /** Too short for SRTP/SRTCP, or the crypto failed otherwise. */
    SRTP_INVALID("srtp-invalid"),
    /** A peer tried more SSRCs than one transport keeps crypto contexts for. */
    SSRC_LIMIT("ssrc-limit"),
    /** DTLS handshake failed, or a DTLS record after the handshake could not be processed. */
    DTLS_BAD("dtls-bad"),
    /** Application data over DTLS (WebRTC data channels, SCTP): not supported, dropped. */
    DTLS_DATA("dtls-app-data"),
    /** The remote certificate does not match the fingerprint from the SDP. */
    DTLS_FINGERPRINT("dtls-fingerprint"),
    /** Larger than the transport's packet buffer. */
    TOO_LARGE("too-large"),
    /** The socket refused the datagram. */
    SEND_FAILED("send-failed"),
    /**
     * The packet path fell {@link MediaWorker#CAPACITY} datagrams behind the shared port (the server is short of
     * CPU): the newest is dropped rather than delaying everything behind it further.
     */
    OVERLOAD("overload"),
    /**
     * ICE-TCP only: the connection to the peer took packets slower than they came (a slow link, a stalled browser)
     * and {@link TcpSendQueue} was full: dropped rather than stalling the packet path for everyone.
     */
    SEND_BACKLOG("send-backlog"),
    /** The {@link PacketReceiver} threw; the packet is lost, the transport goes on. */
    RECEIVER_ERROR("receiver-error"),
    /** Shared port only: a STUN binding request for a ufrag no transport owns. */
    UNKNOWN_UFRAG("stun-unknown-ufrag"),
    /** Shared port only: a datagram from an address that no connectivity check of ours came from, not one itself. */
    UNKNOWN_SOURCE("unknown-source"),

    // ---- forwarding: after SRTP, a peer's published tracks ----

    /** Decrypted, but not a well-formed RTP packet (header, extensions or padding out of bounds). */
    RTP_MALFORMED("rtp-malformed"),
    /** Decrypted, but a compound RTCP packet whose lengths do not add up (what came before it is used). */
    RTCP_MALFORMED("rtcp-malformed"),
    /** An SSRC the peer's SDP did not announce (nor its MID extension, yet): nothing to forward it as. */
    UNKNOWN_SSRC("rtp-unknown-ssrc"),
    /** Padding only (a bandwidth probe): counted as received, nothing to forward. */
    RTP_PADDING("rtp-padding"),
    /** RTX padding (a probe sent as RTX) rather than a repair. */
    RTX_PADDING("rtx-padding"),
    /** RTX whose payload type maps to no media payload type of the track. */
    RTX_UNKNOWN_PAYLOAD_TYPE("rtx-unknown-payload-type"),
    /** A repair (or copy) of a packet already forwarded: it would reach subscribers twice. */
    RTX_REDUNDANT("rtx-redundant"),
    /** A repair older than the retransmission cache: its subscribers have given it up. */
    RTX_TOO_LATE("rtx-too-late"),
    /**
     * A fan-out shard fell a whole ring behind (its core is short of time): the packet is dropped for that shard's
     * subscribers (or a subscriber's feedback is), rather than making the media worker wait for it.
     */
    FANOUT_BACKLOG("fanout-backlog");

    private final String code;

    DropReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
