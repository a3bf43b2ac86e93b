/**
 * SRTP and SRTCP packet protection (RFC 3711, RFC 7714) for the two DTLS-SRTP profiles browsers use, written for
 * the packet path: keys are derived once per session, and nothing is re-keyed or allocated per packet where the JDK
 * lets it be so.
 *
 * <ul>
 * <li>{@link dev.roomdeck.srtp.SrtpSuite}: the profiles and their lengths; makes a {@link dev.roomdeck.srtp.SrtpCipher}
 * for one direction from the DTLS exporter's master key and salt ({@link dev.roomdeck.srtp.KeyDerivation}).</li>
 * <li>AES_CM_128_HMAC_SHA1_80 ({@code AesCmCipher}): the AES keystream comes from one AES/ECB cipher keyed once,
 * over a packet's counter blocks in bulk (the JDK's AES intrinsics), XORed in place; the tag from an HMAC-SHA1 of
 * our own over one reused {@code MessageDigest} (the JDK's {@code Mac} allocates its result per call). Nothing is
 * allocated per packet.</li>
 * <li>AEAD_AES_128_GCM ({@code AesGcmCipher}): the JDK's AES/GCM cipher, which must be initialised with a new
 * {@code GCMParameterSpec} per packet and builds a new GCM engine in each init (about 1 KB of garbage per packet).
 * No JDK path avoids that, and a GHASH in plain Java costs more than the garbage (measured in docs/performance.md),
 * so the server prefers AES_CM_128_HMAC_SHA1_80 and keeps GCM for peers that offer nothing else.</li>
 * <li>{@link dev.roomdeck.srtp.RolloverCounter}: the packet index of a 16-bit sequence number (RFC 3711 3.3.1).</li>
 * </ul>
 *
 * Replay windows and which SSRCs a session knows are the caller's (media.SrtpSession).
 */
package dev.roomdeck.srtp;
