/**
 * Per-peer WebRTC transport: ICE (ice4j) finds the path, DTLS 1.2 (Bouncy Castle) authenticates the peer by the
 * certificate fingerprint from its SDP and yields keys, SRTP/SRTCP (jitsi-srtp) protects media. All SFU-side
 * transports share one port number ({@link dev.roomdeck.media.MediaEndpoint}): UDP, and passive ICE-TCP for networks
 * that drop UDP (ranked below UDP, sent through its own {@link dev.roomdeck.media.TcpSendQueue}). After the DTLS handshake
 * a transport's packets go through {@link dev.roomdeck.media.SecureChannel}, the one post-handshake core that the
 * Java client's transport (server tests, tools module) shares.
 *
 * <p>Only decrypted RTP/RTCP bytes leave this package (through {@link dev.roomdeck.media.PacketReceiver}); parsing
 * them is someone else's job. Drops are counted by reason ({@link dev.roomdeck.media.PacketSnapshot}), never logged per
 * packet.
 */
package dev.roomdeck.media;
