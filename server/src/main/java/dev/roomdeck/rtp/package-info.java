/**
 * RTP and RTCP as byte arrays, and the per-track helpers of the SFU's forwarding path.
 *
 * <p>Views ({@link dev.roomdeck.rtp.RtpPacket}, {@link dev.roomdeck.rtp.RtcpIterator}) and static readers
 * work on {@code (byte[] buf, int off, int len)} in place and validate lengths before anything is read:
 * malformed input gives {@code false}, never an exception. Builders write into the caller's array and return
 * the length. Per-track helpers (retransmission cache, receive statistics, bitrate meter, keyframe requester,
 * transport-cc recorder, NACK generator, REMB sender) preallocate their state so the per-packet work
 * allocates nothing. No sockets here: transports call in with bytes and a {@code System.nanoTime()} clock.
 */
package dev.roomdeck.rtp;
