package dev.roomdeck.media;

import java.net.InetSocketAddress;

/**
 * Where one peer's media goes, as ICE found it (or did not): what the network doctor reads.
 *
 * @param protocol       UDP or TCP of the selected pair; null until ICE selected one
 * @param local          our side of the selected pair; null until then
 * @param remote         the peer's side (usually its peer-reflexive address); null until then
 * @param remoteType     "host", "prflx", "srflx" or "relay"; null until then
 * @param iceMillis      how long ICE took; -1 until it finished
 * @param checkedOverUdp whether any ICE check of the peer reached the media port over UDP
 * @param checkedOverTcp whether the peer opened an ICE-TCP connection to the media port
 * @param failureReason  why the transport failed ({@link PeerTransport#failureReason()}), else null
 */
public record IcePath(IceProtocol protocol, InetSocketAddress local, InetSocketAddress remote, String remoteType,
                      long iceMillis, boolean checkedOverUdp, boolean checkedOverTcp, String failureReason) {
    /** A peer whose transport has not started (its browser has not answered yet). */
    public static final IcePath NOT_STARTED = new IcePath(null, null, null, null, -1, false, false, null);
}
