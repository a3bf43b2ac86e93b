package dev.roomdeck.media;

import dev.roomdeck.srtp.SrtpSuite;
import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The DTLS-SRTP protection profiles we negotiate, most preferred first. AES-CM with HMAC-SHA1 comes first although
 * AES-GCM is a little cheaper in CPU on the JDK (~0.4 us per 1,200-byte packet here): our AES-CM allocates nothing
 * per packet, while the JDK's GCM needs a cipher init, and so about 1 KB of garbage, per packet, which at tens of
 * thousands of packets a second means young collections and their pauses in the forwarding delay. Both are
 * mandatory in WebRTC, so every browser offers both. Figures: docs/performance.md.
 */
enum SrtpProfile {
    /** RFC 3711 default: AES counter mode, HMAC-SHA1 with an 80-bit tag (SRTP and SRTCP alike). */
    AES128_CM_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, "SRTP_AES128_CM_HMAC_SHA1_80",
            SrtpSuite.AES_CM_128_HMAC_SHA1_80),
    /** RFC 7714: AES-GCM, 16-byte tag covers authentication; 12-byte salt. */
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, "SRTP_AEAD_AES_128_GCM", SrtpSuite.AEAD_AES_128_GCM);

    final int tlsId;
    final String sdpName;
    final SrtpSuite suite;

    SrtpProfile(int tlsId, String sdpName, SrtpSuite suite) {
        this.tlsId = tlsId;
        this.sdpName = sdpName;
        this.suite = suite;
    }

    /** Bytes to export from the DTLS session: a key and a salt for each direction (RFC 5764 4.2). */
    int keyingMaterialLength() {
        return 2 * (suite.keyLength + suite.saltLength);
    }

    static int[] tlsIds() {
        SrtpProfile[] all = values();
        int[] ids = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            ids[i] = all[i].tlsId;
        }
        return ids;
    }

    static SrtpProfile byTlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.tlsId == id) {
                return p;
            }
        }
        return null;
    }
}
