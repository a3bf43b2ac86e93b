package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The session keys of a master key and salt (RFC 3711 4.3, key derivation rate 0), against RFC 3711 Appendix B.3;
 * a 12-byte master salt (RFC 7714) is the salt times 2^16 (RFC 7714 erratum 4938).
 */
class KeyDerivationTest {
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void cipherKeyIsRfc3711AppendixB3s() throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        assertThat(hex(kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16))).isEqualToIgnoringCase(
                "C61E7A93744F39EE10734AFE3FF7A087");
    }

    @Test
    void cipherSaltIsRfc3711AppendixB3s() throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        assertThat(hex(kdf.derive(KeyDerivation.SRTP_SALT, 14))).isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        // the whole AES-CM output block the salt is cut from
        assertThat(hex(kdf.derive(KeyDerivation.SRTP_SALT, 16))).isEqualToIgnoringCase(
                "30CBBC08863D8C85D49DB34A9AE17AC6");
    }

    @Test
    void authKeyIsRfc3711AppendixB3s() throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        // the 20 bytes HMAC-SHA1 uses
        assertThat(hex(kdf.derive(KeyDerivation.SRTP_AUTHENTICATION, HmacSha1.LENGTH))).isEqualToIgnoringCase(
                "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
        // and the RFC's full 94 octets, six counter blocks
        assertThat(hex(kdf.derive(KeyDerivation.SRTP_AUTHENTICATION, 94))).isEqualToIgnoringCase(
                "CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098" + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2");
    }

    @Test
    void eachLabelGivesItsOwnKey() throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        String[] keys = new String[6];
        for (int label = 0; label < 6; label++) {
            keys[label] = hex(kdf.derive(label, 16));
        }
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void derivingTwiceGivesTheSameKey() throws Exception {
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, MASTER_SALT);
        byte[] first = kdf.derive(KeyDerivation.SRTCP_AUTHENTICATION, 20);
        kdf.derive(KeyDerivation.SRTCP_SALT, 14);
        assertThat(kdf.derive(KeyDerivation.SRTCP_AUTHENTICATION, 20)).isEqualTo(first);
    }

    @Test
    void aTwelveByteSaltIsTheSaltTimesTwoToTheSixteen() throws Exception {
        byte[] salt12 = hex("517569642070726f2071756f");
        byte[] salt14 = Arrays.copyOf(salt12, 14); // two zero bytes on the right
        KeyDerivation short_ = new KeyDerivation(MASTER_KEY, salt12);
        KeyDerivation padded = new KeyDerivation(MASTER_KEY, salt14);
        for (int label = 0; label < 6; label++) {
            assertThat(short_.derive(label, 16)).as("label %d", label).isEqualTo(padded.derive(label, 16));
        }
    }

    @Test
    void theCallersMasterSaltIsNotChangedAndWipeForgetsTheCopy() throws Exception {
        byte[] salt = MASTER_SALT.clone();
        KeyDerivation kdf = new KeyDerivation(MASTER_KEY, salt);
        byte[] before = kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16);
        kdf.wipe();
        assertThat(salt).isEqualTo(MASTER_SALT);
        assertThat(kdf.derive(KeyDerivation.SRTP_ENCRYPTION, 16)).isNotEqualTo(before);
    }

    @Test
    void aSaltLongerThanFourteenBytesIsRefused() {
        assertThatThrownBy(() -> new KeyDerivation(MASTER_KEY, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
