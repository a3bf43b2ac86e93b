package dev.roomdeck.console.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinUrlsTest {
    @Test
    void boundToOneAddressTheUrlIsThatAddress() {
        assertThat(JoinUrls.of(ServerConfig.defaults().withBind("127.0.0.1"), 7080))
                .containsExactly("http://127.0.0.1:7080/");
    }

    @Test
    void boundToAllInterfacesThereIsOneUrlPerLanAddressOrLoopbackWhenThereIsNone() {
        List<String> urls = JoinUrls.of(ServerConfig.defaults(), 7123);
        List<InetAddress> lan = Addresses.lanAddresses();

        if (lan.isEmpty()) {
            assertThat(urls).containsExactly("http://127.0.0.1:7123/");
        } else {
            assertThat(urls).containsExactlyElementsOf(lan.stream()
                    .map(a -> "http://" + a.getHostAddress() + ":7123/").toList());
        }
    }

    @Test
    void ipv6AddressesAreBracketedWithoutTheirZone() throws Exception {
        assertThat(JoinUrls.url(InetAddress.getByName("fd00::5"), 7080)).isEqualTo("http://[fd00:0:0:0:0:0:0:5]:7080/");
        assertThat(JoinUrls.url(InetAddress.getByName("fe80::1%1"), 80)).isEqualTo("http://[fe80:0:0:0:0:0:0:1]:80/");
    }
}
