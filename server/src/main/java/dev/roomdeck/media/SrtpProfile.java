package dev.roomdeck.media;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpPolicy;

/** The DTLS-SRTP protection profiles we negotiate, most preferred first. */
enum SrtpProfile {
    /** RFC 7714: AES-GCM, 16-byte tag covers authentication; 12-byte salt. */
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, "SRTP_AEAD_AES_128_GCM", 16, 12) {
        @Override
        SrtpPolicy policy() {
            return new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        }
    },
    /** RFC 3711 default: AES counter mode, HMAC-SHA1 with an 80-bit tag (SRTP and SRTCP alike). */
    AES128_CM_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14) {
        @Override
        SrtpPolicy policy() {
            return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        }
    };

    final int tlsId;
    final String sdpName;
    final int keyLength;
    final int saltLength;

    SrtpProfile(int tlsId, String sdpName, int keyLength, int saltLength) {
        this.tlsId = tlsId;
        this.sdpName = sdpName;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** A fresh policy each time: jitsi-srtp policies are mutable. */
    abstract SrtpPolicy policy();

    /** Bytes to export from the DTLS session: a key and a salt for each direction (RFC 5764 4.2). */
    int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
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
