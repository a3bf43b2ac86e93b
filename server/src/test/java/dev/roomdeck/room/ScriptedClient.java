package dev.roomdeck.room;

import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.protocol.SdpData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * One client as a {@link Room} sees it, for tests that read as the protocol's rules: a browser's negotiation
 * ({@link BrowserModel}, Chrome's rules) and everything the server sent it, in order, until {@link #forget()}.
 */
final class ScriptedClient implements PeerLink {
    /** One message from the server; {@code reply} when it answered this client's own request. */
    record Message(String type, Object data, boolean reply) {
    }

    final String user;
    final BrowserModel browser;
    private final List<Message> inbox = new ArrayList<>();
    /** Server offers not answered yet (a client whose own offer crossed one drops it: {@link #ignoreOffers()}). */
    private final Deque<SdpData> offers = new ArrayDeque<>();
    Peer peer;
    String closedWith;
    String closeMessage;
    /** The join offer of a client at a locked door: the same join runs again once the operator admits it. */
    String knockOffer;

    ScriptedClient(String user, long seed) {
        this.user = user;
        this.browser = new BrowserModel(BrowserModel.Profile.CHROME, new Random(seed));
    }

    @Override
    public void send(String type, Object data) {
        inbox.add(new Message(type, data, false));
        if (type.equals(MessageTypes.OFFER)) {
            offers.add((SdpData) data);
        }
    }

    @Override
    public void reply(String type, Object data) {
        inbox.add(new Message(type, data, true));
    }

    @Override
    public void close(String reason, String message) {
        closedWith = reason;
        closeMessage = message;
    }

    @Override
    public String remoteAddress() {
        return "192.0.2.1:" + (5000 + Math.abs(user.hashCode() % 1000));
    }

    /** Everything received since the last {@link #forget()}. */
    List<Message> messages() {
        return List.copyOf(inbox);
    }

    List<String> types() {
        return inbox.stream().map(Message::type).toList();
    }

    /** The data of every message of one type received since the last {@link #forget()}. */
    <T> List<T> received(String type, Class<T> as) {
        return inbox.stream().filter(m -> m.type().equals(type)).map(m -> as.cast(m.data())).toList();
    }

    /** The data of the last message of this type. */
    <T> T last(String type, Class<T> as) {
        List<T> all = received(type, as);
        if (all.isEmpty()) {
            throw new AssertionError(user + " received no " + type + "; it received " + types());
        }
        return all.get(all.size() - 1);
    }

    void forget() {
        inbox.clear();
    }

    boolean hasUnansweredOffer() {
        return !offers.isEmpty();
    }

    /** Answers the oldest server offer not answered yet; false when there is none. */
    boolean answerNextOffer(Rooms rooms) throws Exception {
        SdpData offer = offers.poll();
        if (offer == null) {
            return false;
        }
        rooms.answer(peer, browser.applyOffer(offer.sdp()));
        return true;
    }

    /** Its own offer crossed the server's: the client never answers those (it will get a new one). */
    void ignoreOffers() {
        offers.clear();
    }

    /** Applies the server's answer (joined or answer) to this client's own offer. */
    void applyLastAnswer(String type) throws Exception {
        browser.applyAnswer(last(type, SdpData.class).sdp());
    }

    @Override
    public String toString() {
        return user;
    }
}
