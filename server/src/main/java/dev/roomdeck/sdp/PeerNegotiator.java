package dev.roomdeck.sdp;
import java.util.List;
import java.util.Map;
public final class PeerNegotiator {
  public record Answer(String sdp, TransportDescription remote, List<PublishedTrack> published) {}
  private boolean out;
  public PeerNegotiator(boolean planB, LocalTransport local, Map<String,Integer> caps) {}
  public Answer answerOffer(String sdp) throws SdpException { if (!sdp.startsWith("v=0")) throw new SdpException("not sdp"); return new Answer("v=0\r\n", null, List.of()); }
  public boolean needsOffer(List<OutgoingTrack> d) { return false; }
  public String createOffer(List<OutgoingTrack> d) throws SdpException { out = true; return "v=0\r\n"; }
  public void applyAnswer(String a) throws SdpException { out = false; }
  public void dropOffer() { out = false; }
  public boolean offerOutstanding() { return out; }
  public List<SendTrack> sendTracks() { return List.of(); }
  public List<PublishedTrack> publishedTracks() { return List.of(); }
  public TransportDescription remoteTransport() { return null; }
}
