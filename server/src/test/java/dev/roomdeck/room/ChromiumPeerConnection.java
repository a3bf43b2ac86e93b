package dev.roomdeck.room;

import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.Browser.PageScriptException;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real RTCPeerConnection (max-bundle, the web client's settings) in a Chromium page, driven like the web client
 * drives its own: publishing the fake camera and microphone on sendonly transceivers, removeTrack, recvonly
 * placeholders. Chromium names its streams itself, so the simulation's stream names are mapped to Chromium's ids.
 */
final class ChromiumPeerConnection implements PeerConnectionSide {
    private static int next;

    private final Browser browser;
    private final String id = "pc" + (next++);
    /** Chromium's stream id → the simulation's stream name, shared by every connection of the page. */
    private final Map<String, String> streamNames;

    ChromiumPeerConnection(Browser browser, Map<String, String> streamNames) {
        this.browser = browser;
        this.streamNames = streamNames;
        browser.jsAsync("window.pcs = window.pcs || {};"
                + "pcs[arguments[0]] = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});",
                id);
    }

    @Override
    public void publish(String streamId) {
        String chromiumId = (String) browser.jsAsync("""
                const s = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 160, height: 120}});
                s.getTracks().forEach(t => pcs[arguments[0]].addTransceiver(t, {direction: 'sendonly', streams: [s]}));
                return s.id;""", id);
        streamNames.put(chromiumId, streamId);
    }

    @Override
    public void unpublish() {
        browser.jsAsync("""
                const pc = pcs[arguments[0]];
                pc.getSenders().filter(s => s.track).forEach(s => { s.track.stop(); pc.removeTrack(s); });""", id);
    }

    @Override
    public void receiveOnly() {
        browser.jsAsync("""
                pcs[arguments[0]].addTransceiver('audio', {direction: 'recvonly'});
                pcs[arguments[0]].addTransceiver('video', {direction: 'recvonly'});""", id);
    }

    @Override
    public String createOffer() throws Refused {
        return call("""
                const pc = pcs[arguments[0]];
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""");
    }

    @Override
    public void applyAnswer(String sdp) throws Refused {
        call("await pcs[arguments[0]].setRemoteDescription({type: 'answer', sdp: arguments[1]}); return 'ok';", sdp);
    }

    @Override
    public String applyOffer(String sdp) throws Refused {
        return call("""
                const pc = pcs[arguments[0]];
                await pc.setRemoteDescription({type: 'offer', sdp: arguments[1]});
                await pc.setLocalDescription(await pc.createAnswer());
                return pc.localDescription.sdp;""", sdp);
    }

    @Override
    public void rollback() {
        browser.jsAsync("""
                const pc = pcs[arguments[0]];
                if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({type: 'rollback'});""", id);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> receiving() {
        Map<String, Object> state = (Map<String, Object>) browser.jsAsync("""
                const pc = pcs[arguments[0]];
                return {remote: pc.remoteDescription ? pc.remoteDescription.sdp : '',
                        mids: pc.getTransceivers().filter(t => t.currentDirection === 'recvonly'
                            || t.currentDirection === 'sendrecv').map(t => t.mid)};""", id);
        List<String> result = new ArrayList<>();
        try {
            for (MediaSection m : SessionDescription.parse((String) state.get("remote")).media()) {
                if (((List<Object>) state.get("mids")).contains(m.mid()) && m.msid() != null) {
                    result.add(streamNames.getOrDefault(m.msid().streamId(), m.msid().streamId()) + " " + m.kind());
                }
            }
        } catch (SdpException e) {
            throw new AssertionError("Chromium's remote description does not parse", e);
        }
        result.sort(null);
        return result;
    }

    @Override
    public void close() {
        browser.jsAsync("if (pcs[arguments[0]]) { pcs[arguments[0]].close(); delete pcs[arguments[0]]; }", id);
    }

    private String call(String script, Object... args) throws Refused {
        Object[] all = new Object[args.length + 1];
        all[0] = id;
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return (String) browser.jsAsync(script, all);
        } catch (PageScriptException e) {
            throw new Refused(e.getMessage());
        }
    }
}
