package dev.roomdeck.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.protocol.PeerMeta;
import dev.roomdeck.protocol.SdpData;
import dev.roomdeck.protocol.StreamMeta;
import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.SessionDescription;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * No needless rounds: a newcomer who joins and publishes the way the web client does (join with its tracks, then
 * addStream with its name) costs everyone else exactly one offer, whose room meta already has the newcomer's
 * attributes, and that offer is narrowed to what each receiver listed.
 */
class OneChangeOneOfferTest {
    private final Rooms rooms = new Rooms(ServerConfig.Limits.defaults(), new NoMedia(), Clock.systemUTC(), 1500);

    /** Everything the server sent to one client. */
    private static final class Inbox implements PeerLink {
        final List<Object[]> messages = new ArrayList<>();
        int offersAnswered;

        @Override
        public void send(String type, Object data) {
            messages.add(new Object[] {type, data});
        }

        @Override
        public void reply(String type, Object data) {
            messages.add(new Object[] {type, data});
        }

        @Override
        public void close(String reason, String message) {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        List<SdpData> offers() {
            return messages.stream().filter(m -> m[0].equals(MessageTypes.OFFER)).map(m -> (SdpData) m[1]).toList();
        }
    }

    @Test
    void aNewcomerWhoPublishesCostsEveryoneElseOneOfferThatCarriesItsName() throws Exception {
        Random random = new Random(5);
        List<Inbox> inboxes = new ArrayList<>();
        List<BrowserModel> browsers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BrowserModel b = new BrowserModel(i == 1 ? BrowserModel.Profile.FIREFOX : BrowserModel.Profile.CHROME,
                    random);
            Inbox inbox = new Inbox();
            browsers.add(b);
            inboxes.add(inbox);
            b.publish("s" + i);
            Peer peer = rooms.join("r", "u" + i, inbox, false, true, b.createOffer(), name("Person " + i));
            b.applyAnswer(((SdpData) inbox.messages.get(0)[1]).sdp());
            rooms.addStream(peer, "s" + i, 1500, name("Person " + i), b.createOffer());
            b.applyAnswer(inbox.messages.stream().filter(m -> m[0].equals(MessageTypes.ANSWER))
                    .map(m -> ((SdpData) m[1]).sdp()).reduce((x, y) -> y).orElseThrow());
            answerEverything(rooms, inboxes, browsers);
        }
        // Person 3 arrived last: each of the others got one offer for them, carrying their name.
        Inbox first = inboxes.get(0);
        SdpData offerFor3 = first.offers().get(first.offers().size() - 1);
        PeerMeta person3 = offerFor3.room().peers().stream().filter(p -> p.id().equals("u3")).findFirst().orElseThrow();
        assertThat(person3.attributes().path("name").asText()).isEqualTo("Person 3");
        assertThat(person3.streams()).extracting(StreamMeta::attributes).allSatisfy(a ->
                assertThat(a.path("name").asText()).isEqualTo("Person 3"));
        for (int i = 0; i < 4; i++) {
            long offers = inboxes.get(i).offers().size();
            int expected = (i == 0 ? 0 : 1) + (3 - i); // the people before them at once, then one per newcomer
            assertThat(offers).as("offers to person %d", i).isEqualTo(expected);
        }
        // The Firefox-numbered receiver was offered only codecs it listed (no VP9), in its own numbers.
        SessionDescription toFirefox = SessionDescription.parse(inboxes.get(1).offers().get(0).sdp());
        assertThat(toFirefox.media().stream().filter(m -> m.kind().equals("video") && m.direction().sends())
                .flatMap(m -> codecs(m).stream()).map(Codec::name).distinct().toList())
                .containsExactlyInAnyOrder("VP8", "H264");
    }

    private static List<Codec> codecs(dev.roomdeck.sdp.MediaSection m) {
        try {
            return m.codecs();
        } catch (dev.roomdeck.sdp.SdpException e) {
            throw new AssertionError(e);
        }
    }

    /** Each client answers the server offers it has not answered yet, until none is left. */
    private static void answerEverything(Rooms rooms, List<Inbox> inboxes, List<BrowserModel> browsers)
            throws Exception {
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < inboxes.size(); i++) {
                Inbox inbox = inboxes.get(i);
                while (inbox.offersAnswered < inbox.offers().size()) {
                    String answer = browsers.get(i).applyOffer(inbox.offers().get(inbox.offersAnswered++).sdp());
                    rooms.answer(rooms.room("r").orElseThrow().peer("u" + i).orElseThrow(), answer);
                    more = true;
                }
            }
        }
    }

    private static ObjectNode name(String name) {
        return new ObjectMapper().createObjectNode().put("name", name);
    }
}
