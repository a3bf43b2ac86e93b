package dev.roomdeck.media;

/** Why a packet was dropped; {@link #code()} is the key used in {@link Counters#drops()}. */
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
    UNKNOWN_UFRAG("stun-unknown-ufrag");

    private final String code;

    DropReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
