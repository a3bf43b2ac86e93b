package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.sdp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Parsing and writing SDP: nothing is lost, typed readers interpret lines, malformed input is named. */
class SessionDescriptionTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROMIUM_SENDRECV, Fixtures.CHROMIUM_SENDONLY, Fixtures.CHROMIUM_RECVONLY,
            Fixtures.CHROMIUM_EMPTY, Fixtures.CHROMIUM_SIMULCAST, Fixtures.CHROMIUM_REOFFER,
            Fixtures.CHROMIUM_ANSWER, Fixtures.PLANB_OFFER, Fixtures.PLANB_TWO_VIDEO})
    void parseThenWriteKeepsEveryLineInOrderWithCrlf(String name) throws SdpException {
        String original = sdp(name);
        String written = SessionDescription.parse(original).toString();

        String expected = original.replace("\r\n", "\n").replace("\n", "\r\n");
        assertThat(written).isEqualTo(expected.endsWith("\r\n") ? expected : expected + "\r\n");
        assertThat(written.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void unknownAttributesRidSimulcastAndSsrcGroupsSurviveARoundTrip() throws SdpException {
        String written = SessionDescription.parse(sdp(Fixtures.CHROMIUM_SIMULCAST)).toString();
        assertThat(written).contains("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n",
                "a=sctp-port:5000\r\na=max-message-size:262144\r\n",
                "a=extmap:14 http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00\r\n");
        assertThat(SessionDescription.parse(sdp(Fixtures.CHROMIUM_SENDRECV)).toString())
                .contains("a=ssrc-group:FID 1902735748 225003249\r\n");
    }

    @Test
    void readsSessionAndMLineFields() throws SdpException {
        SessionDescription sd = SessionDescription.parse(sdp(Fixtures.CHROMIUM_SIMULCAST));
        assertThat(sd.bundleMids()).containsExactly("0", "1");
        assertThat(sd.hasAttribute("extmap-allow-mixed")).isTrue();
        assertThat(sd.media()).hasSize(2);

        MediaSection video = sd.media().get(0);
        assertThat(video.kind()).isEqualTo("video");
        assertThat(video.mediaKind()).isEqualTo(MediaKind.VIDEO);
        assertThat(video.port()).isEqualTo(9);
        assertThat(video.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(video.formats()).startsWith("96", "97", "103");
        assertThat(video.mid()).isEqualTo("0");
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.rids("send")).containsExactly("q", "h", "f");
        assertThat(video.label()).isEqualTo("m-section 1 (mid 0)");

        MediaSection data = sd.media().get(1);
        assertThat(data.kind()).isEqualTo("application");
        assertThat(data.mediaKind()).isNull();
        assertThat(data.isRtp()).isFalse();
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.attribute("sctp-port")).isEqualTo("5000");
    }

    @Test
    void directionDefaultsToSendrecv() throws SdpException {
        SessionDescription sd = SessionDescription.parse("v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:a\r\n");
        assertThat(sd.media().get(0).direction()).isEqualTo(Direction.SENDRECV);
    }

    @Test
    void codecsCarryRtpmapFmtpFeedbackAndTheirRtx() throws SdpException {
        SessionDescription sd = SessionDescription.parse(sdp(Fixtures.CHROMIUM_SENDRECV));
        List<Codec> audio = sd.media().get(0).codecs();
        assertThat(audio).extracting(Codec::name)
                .containsExactly("opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event");
        assertThat(audio.get(0)).isEqualTo(new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1",
                List.of("transport-cc"), -1));

        List<Codec> video = sd.media().get(1).codecs();
        assertThat(video.get(0)).isEqualTo(new Codec(96, "VP8", 90000, 1, null,
                List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), 97));
        assertThat(video).extracting(Codec::name).doesNotContain("rtx");
        Codec h264 = video.get(1);
        assertThat(h264.payloadType()).isEqualTo(103);
        assertThat(h264.rtxPayloadType()).isEqualTo(104);
        assertThat(h264.parameter("profile-level-id")).isEqualTo("42001f");
        assertThat(h264.parameter("packetization-mode")).isEqualTo("1");
        assertThat(video).filteredOn(c -> c.name().equals("red")).singleElement()
                .extracting(Codec::rtxPayloadType).isEqualTo(120);
    }

    @Test
    void staticPayloadTypesWithoutRtpmapGetTheirStandardMeaning() throws SdpException {
        MediaSection m = SessionDescription.parse("v=0\r\nm=audio 9 RTP/AVP 0 8\r\n").media().get(0);
        assertThat(m.codecs()).extracting(Codec::name, Codec::clockRate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PCMU", 8000),
                        org.assertj.core.groups.Tuple.tuple("PCMA", 8000));
    }

    @Test
    void wildcardFeedbackAppliesToEveryFormat() throws SdpException {
        MediaSection m = SessionDescription.parse("""
                v=0
                m=video 9 UDP/TLS/RTP/SAVPF 96 98
                a=rtpmap:96 VP8/90000
                a=rtpmap:98 VP9/90000
                a=rtcp-fb:* nack
                a=rtcp-fb:98 nack pli
                """).media().get(0);
        assertThat(m.codecs()).extracting(Codec::rtcpFeedback)
                .containsExactly(List.of("nack"), List.of("nack", "nack pli"));
    }

    @Test
    void extensionsSourcesAndGroups() throws SdpException {
        MediaSection video = SessionDescription.parse(sdp(Fixtures.CHROMIUM_SENDRECV)).media().get(1);
        assertThat(video.extensions()).containsEntry("urn:ietf:params:rtp-hdrext:sdes:mid", 4)
                .containsEntry("urn:ietf:params:rtp-hdrext:toffset", 14).hasSize(11);
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(1902735748L, 225003249L)));
        assertThat(video.sources()).hasSize(2);
        SsrcDescription first = video.sources().get(0);
        assertThat(first.ssrc()).isEqualTo(1902735748L);
        assertThat(first.cname()).isEqualTo("iUhluZaBQkeR35GN");
        assertThat(first.msid()).isEqualTo(new Msid("91a99c9a-09d0-4a48-8a36-47610f9fcd7d",
                "29b29096-270b-4e4d-b8a6-d1e6e4ce1804"));
        assertThat(video.msid()).isEqualTo(first.msid());
    }

    @Test
    void planBSourcesFallBackToMslabelAndLabel() throws SdpException {
        MediaSection m = SessionDescription.parse("""
                v=0
                m=audio 9 UDP/TLS/RTP/SAVPF 111
                a=ssrc:42 mslabel:stream
                a=ssrc:42 label:track
                """).media().get(0);
        assertThat(m.sources().get(0).msid()).isEqualTo(new Msid("stream", "track"));
    }

    @Test
    void builderWritesCrlfLines() {
        MediaSection m = MediaSection.builder("audio", 9, "UDP/TLS/RTP/SAVPF", List.of("111"))
                .line('c', "IN IP4 0.0.0.0").attribute("mid", "0").flag("rtcp-mux").build();
        assertThat(m.toString()).isEqualTo("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
                + "a=rtcp-mux\r\n");
    }

    @Test
    void malformedStructureIsReportedWithTheLine() {
        assertThatThrownBy(() -> SessionDescription.parse("")).hasMessage("the SDP is empty");
        assertThatThrownBy(() -> SessionDescription.parse("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n"))
                .isInstanceOf(SdpException.class).hasMessageContaining("does not start with v=0");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\ns=-\r\nhello\r\n"))
                .hasMessage("line 3 is not of the form <letter>=<value>: \"hello\"");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio 9 RTP/AVP\r\n"))
                .hasMessage("the m-line on line 2 needs media, port, protocol and at least one format");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio nine RTP/AVP 0\r\n"))
                .hasMessage("the m-line on line 2 has an invalid port \"nine\"");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio 70000 RTP/AVP 0\r\n"))
                .hasMessageContaining("invalid port \"70000\"");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 x\r\n"))
                .hasMessage("the m-line on line 2 has an invalid payload type \"x\"");
        assertThatThrownBy(() -> SessionDescription.parse(
                "v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\n"))
                .hasMessage("m-section 2 (mid 0) repeats mid 0 of an earlier m-section");
    }

    @Test
    void malformedAttributesAreReportedByTheTypedReaders() throws SdpException {
        MediaSection noRtpmap = SessionDescription.parse("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n")
                .media().get(0);
        assertThatThrownBy(noRtpmap::codecs).hasMessage("m-section 1 (mid 1) has no a=rtpmap for payload type 96");

        MediaSection badClock = SessionDescription.parse(
                "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=rtpmap:96 VP8/fast\r\n").media().get(0);
        assertThatThrownBy(badClock::codecs)
                .hasMessage("m-section 1 (mid 1) has an invalid clock rate \"fast\" for payload type 96");

        MediaSection badExt = SessionDescription.parse(
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=extmap:0 urn:x\r\n").media().get(0);
        assertThatThrownBy(badExt::extensions).hasMessageContaining("invalid header extension id \"0\"");

        MediaSection clash = SessionDescription.parse(
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=extmap:3 urn:x\r\na=extmap:3 urn:y\r\n").media().get(0);
        assertThatThrownBy(clash::extensions)
                .hasMessage("m-section 1 uses header extension id 3 for both urn:x and urn:y");

        MediaSection badSsrc = SessionDescription.parse(
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ssrc:4294967296 cname:x\r\n").media().get(0);
        assertThatThrownBy(badSsrc::sources).hasMessageContaining("invalid SSRC \"4294967296\"");

        MediaSection badGroup = SessionDescription.parse(
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ssrc-group:FID 1 -2\r\n").media().get(0);
        assertThatThrownBy(badGroup::ssrcGroups).hasMessageContaining("invalid SSRC \"-2\"");

        MediaSection rtxWithoutApt = SessionDescription.parse(
                "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\n")
                .media().get(0);
        assertThatThrownBy(rtxWithoutApt::codecs).hasMessage("m-section 1 has an rtx payload type 97 without apt=");
    }

    @Test
    void sameFormatComparesH264ProfileAndPacketizationModeButNotLevel() {
        Codec a = new Codec(109, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42e01f", null, -1);
        Codec sameProfileOtherLevel = new Codec(102, "h264", 90000, 1,
                "profile-level-id=42e034;packetization-mode=1", null, -1);
        Codec otherMode = new Codec(115, "H264", 90000, 1, "packetization-mode=0;profile-level-id=42e01f", null, -1);
        Codec otherProfile = new Codec(103, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42001f", null,
                -1);
        assertThat(a.sameFormat(sameProfileOtherLevel)).isTrue();
        assertThat(a.sameFormat(otherMode)).isFalse();
        assertThat(a.sameFormat(otherProfile)).isFalse();
        assertThat(new Codec(98, "VP9", 90000, 1, "profile-id=0", null, -1)
                .sameFormat(new Codec(100, "VP9", 90000, 1, "profile-id=2", null, -1))).isFalse();
        assertThat(new Codec(98, "VP9", 90000, 1, null, null, -1)
                .sameFormat(new Codec(100, "VP9", 90000, 1, "profile-id=0", null, -1))).isTrue();
    }
}
