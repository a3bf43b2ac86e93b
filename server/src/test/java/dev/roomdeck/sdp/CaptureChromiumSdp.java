package dev.roomdeck.sdp;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** One-off: writes real Chromium offers into the directory named by -Droomdeck.sdp.capture. */
class CaptureChromiumSdp {
    @Test
    void capture() throws Exception {
        String dir = System.getProperty("roomdeck.sdp.capture");
        Assumptions.assumeTrue(dir != null && Chromium.usable());
        try (Chromium c = new Chromium()) {
            String send = c.text("""
                const s = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
                window.pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
                s.getTracks().forEach(t => pc.addTrack(t, s));
                const o = await pc.createOffer();
                await pc.setLocalDescription(o);
                await new Promise(r => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') r(); }; });
                return pc.localDescription.sdp;""");
            Files.writeString(Path.of(dir, "chromium-sendonly-offer.sdp"), send);
            String recv = c.text("""
                const pc2 = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
                pc2.addTransceiver('audio', {direction: 'recvonly'});
                pc2.addTransceiver('video', {direction: 'recvonly'});
                const o = await pc2.createOffer();
                await pc2.setLocalDescription(o);
                return pc2.localDescription.sdp;""");
            Files.writeString(Path.of(dir, "chromium-recvonly-offer.sdp"), recv);
            String empty = c.text("""
                const pc3 = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
                const o = await pc3.createOffer();
                return o.sdp;""");
            Files.writeString(Path.of(dir, "chromium-empty-offer.sdp"), empty);
            String sim = c.text("""
                const s = await navigator.mediaDevices.getUserMedia({audio: false, video: true});
                const pc4 = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
                pc4.addTransceiver(s.getVideoTracks()[0], {direction: 'sendonly', streams: [s],
                    sendEncodings: [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
                pc4.createDataChannel('x');
                const o = await pc4.createOffer();
                return o.sdp;""");
            Files.writeString(Path.of(dir, "chromium-simulcast-datachannel-offer.sdp"), sim);
        }
    }
}
