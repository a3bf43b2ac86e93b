package dev.roomdeck.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.protocol.ConfigureData;
import dev.roomdeck.protocol.MessageData;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.protocol.PeerData;
import dev.roomdeck.protocol.PeerMeta;
import dev.roomdeck.protocol.RenegotiateReply;
import dev.roomdeck.protocol.RoomMeta;
import dev.roomdeck.protocol.SdpData;
import dev.roomdeck.protocol.SpeakerData;
import dev.roomdeck.protocol.StopStreamData;
import dev.roomdeck.protocol.StreamMeta;
import dev.roomdeck.sdp.LocalTransport;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of the protocol as {@link Room} keeps them (RTCEngine's signalling, docs/protocol.md), told by what each
 * client receives and what the operator hears. Every client here is a Chrome-like browser model that answers server
 * offers ({@code answersOffers}); the media plane has no media ({@link NoMedia}), with a video flow a test may set.
 */
class RoomTest {
    private static final String ROOM = "weekly";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RoomEvent> events = new ArrayList<>();
    private final Plane plane = new Plane();
    private Rooms rooms = rooms(ServerConfig.Limits.defaults());
    private long seeds;

    // ---- joining ----------------------------------------------------------------------------------------------

    @Test
    void joinedAnswersTheJoinOfferAndDescribesTheRoomWithTheNewcomerIncluded() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");

        assertThat(ben.messages().get(0).type()).isEqualTo(MessageTypes.JOINED);
        assertThat(ben.messages().get(0).reply()).isTrue();
        SdpData joined = ben.last(MessageTypes.JOINED, SdpData.class);
        assertThat(joined.sdp()).startsWith("v=0");
        assertThat(joined.room().id()).isEqualTo(ROOM);
        assertThat(joined.room().peers()).extracting(PeerMeta::id).containsExactly("anna", "ben");
        assertThat(peerIn(joined.room(), "ben").attributes().path("name").asText()).isEqualTo("Ben");
        assertThat(anna.peer.room().peers()).extracting(Peer::id).containsExactly("anna", "ben");
    }

    @Test
    void theOthersHearPeerConnectedWithTheNewcomersMetaAndTheNewcomerDoesNot() throws Exception {
        ScriptedClient anna = join("anna");
        anna.forget();
        ScriptedClient ben = join("ben");

        assertThat(anna.types()).containsExactly(MessageTypes.PEER_CONNECTED);
        PeerMeta meta = anna.last(MessageTypes.PEER_CONNECTED, PeerData.class).peer();
        assertThat(meta.id()).isEqualTo("ben");
        assertThat(meta.attributes().path("name").asText()).isEqualTo("Ben");
        assertThat(ben.types()).doesNotContain(MessageTypes.PEER_CONNECTED);
        assertThat(events).filteredOn(RoomEvent.PeerJoined.class::isInstance).map(e -> ((RoomEvent.PeerJoined) e).peerId())
                .containsExactly("anna", "ben");
    }

    @Test
    void aNewcomerIsOfferedWhatTheOthersAlreadyPublishAndReceivesItOnceItAnswers() throws Exception {
        ScriptedClient anna = join("anna");
        publish(anna, "anna-cam");
        settle(anna);

        ScriptedClient ben = join("ben");
        assertThat(ben.types()).containsExactly(MessageTypes.JOINED, MessageTypes.OFFER);
        assertThat(ben.last(MessageTypes.OFFER, SdpData.class).sdp()).contains("a=msid:anna-cam ");
        settle(anna, ben);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    @Test
    void aRoomWithMaxPeersPerRoomPeersRefusesTheNextJoinWithRoomFullAndNobodyHearsOfIt() throws Exception {
        rooms = rooms(ServerConfig.Limits.defaults().withMaxPeersPerRoom(2));
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        anna.forget();
        ben.forget();

        assertThatThrownBy(() -> join("carl")).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("room-full"));

        assertThat(room().peers()).extracting(Peer::id).containsExactly("anna", "ben");
        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
        assertThat(events).noneMatch(e -> e instanceof RoomEvent.PeerJoined j && j.peerId().equals("carl"));
    }

    @Test
    void aServerWithMaxRoomsRoomsOpenRefusesAnotherRoomWithTooManyRooms() throws Exception {
        rooms = rooms(new ServerConfig.Limits(256 * 1024, 50, 32, 1, 10_000, 60, 30));
        join("anna");
        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        ben.browser.receiveOnly();
        assertThatThrownBy(() -> rooms.join(new JoinRequest("other", "ben", false, true, ben.browser.createOffer(),
                null, null, false), ben, null))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("too-many-rooms"));
        assertThat(rooms.room("other")).isEmpty();
    }

    @Test
    void aSecondJoinOfTheSameUserTakesTheSeatAndTheFirstConnectionIsToldReplaced() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        anna.forget();
        events.clear();

        ScriptedClient benAgain = join("ben");

        assertThat(ben.closedWith).isEqualTo("replaced");
        assertThat(ben.closeMessage).isNotBlank();
        assertThat(anna.types()).containsExactly(MessageTypes.PEER_REMOVED, MessageTypes.PEER_CONNECTED);
        assertThat(room().peer("ben")).containsSame(benAgain.peer);
        assertThat(benAgain.types()).first().isEqualTo(MessageTypes.JOINED);
        assertThat(events).filteredOn(e -> e instanceof RoomEvent.PeerLeft || e instanceof RoomEvent.PeerJoined)
                .containsExactly(new RoomEvent.PeerLeft(NOW, ROOM, "ben", "replaced"),
                        new RoomEvent.PeerJoined(NOW, ROOM, "ben", benAgain.remoteAddress()));
    }

    @Test
    void takingOnesOwnSeatBackInAFullRoomIsNotRefused() throws Exception {
        rooms = rooms(ServerConfig.Limits.defaults().withMaxPeersPerRoom(2));
        join("anna");
        join("ben");

        ScriptedClient benAgain = join("ben");

        assertThat(benAgain.types()).first().isEqualTo(MessageTypes.JOINED);
        assertThat(room().peers()).extracting(Peer::id).containsExactly("anna", "ben");
    }

    @Test
    void theReplacedConnectionsLateLeaveDoesNotRemoveItsSuccessor() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        Peer replaced = ben.peer;
        join("ben");
        anna.forget();

        rooms.leave(replaced, "disconnected", null);

        assertThat(room().peers()).extracting(Peer::id).containsExactly("anna", "ben");
        assertThat(anna.messages()).isEmpty();
    }

    @Test
    void aJoinWithAnUnreadableOfferIsRefusedWithBadSdpAndLeavesNoRoomBehind() {
        ScriptedClient anna = new ScriptedClient("anna", 1);
        assertThatThrownBy(() -> rooms.join(new JoinRequest(ROOM, "anna", false, true, "this is no SDP", null, null,
                false), anna, null))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("bad-sdp"));

        assertThat(rooms.room(ROOM)).isEmpty();
        assertThat(anna.messages()).isEmpty();
        assertThat(events).containsExactly(new RoomEvent.RoomOpened(NOW, ROOM), new RoomEvent.RoomClosed(NOW, ROOM));
    }

    @Test
    void theFirstJoinOpensTheRoomAndTheLastLeaveClosesItForGood() throws Exception {
        ScriptedClient anna = join("anna");
        Room first = room();
        rooms.leave(anna.peer, "left", null);

        assertThat(rooms.room(ROOM)).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof RoomEvent.RoomOpened || e instanceof RoomEvent.RoomClosed)
                .containsExactly(new RoomEvent.RoomOpened(NOW, ROOM), new RoomEvent.RoomClosed(NOW, ROOM));

        join("anna");
        assertThat(room()).isNotSameAs(first);
        assertThat(first.closeIfEmpty()).as("a closed room stays closed").isFalse();
    }

    // ---- publishing: addStream and removeStream ---------------------------------------------------------------

    @Test
    void addStreamIsRepliedWithTheAnswerThenStreamAdded() throws Exception {
        ScriptedClient anna = join("anna");
        anna.forget();
        publish(anna, "anna-cam");

        assertThat(anna.messages()).extracting(ScriptedClient.Message::type, ScriptedClient.Message::reply)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MessageTypes.ANSWER, true),
                        org.assertj.core.groups.Tuple.tuple(MessageTypes.STREAM_ADDED, true));
        StreamMeta cam = peerIn(anna.last(MessageTypes.ANSWER, SdpData.class).room(), "anna").streams().get(0);
        assertThat(cam).isEqualTo(new StreamMeta("anna-cam", 1200, name("Anna")));
        assertThat(events).contains(new RoomEvent.StreamAdded(NOW, ROOM, "anna", "anna-cam"));
    }

    @Test
    void everyOtherPeerGetsOneOfferThatCarriesTheNewStreamWithItsAttributes() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        settle(anna, ben, carl);
        forget(anna, ben, carl);

        publish(anna, "anna-cam");

        for (ScriptedClient other : List.of(ben, carl)) {
            assertThat(other.received(MessageTypes.OFFER, SdpData.class)).as("offers to %s", other).hasSize(1);
            SdpData offer = other.last(MessageTypes.OFFER, SdpData.class);
            assertThat(offer.sdp()).contains("a=msid:anna-cam ");
            assertThat(peerIn(offer.room(), "anna").streams()).containsExactly(new StreamMeta("anna-cam", 1200, name("Anna")));
        }
        assertThat(anna.types()).doesNotContain(MessageTypes.OFFER);
        settle(anna, ben, carl);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
        assertThat(carl.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    @Test
    void reDescribingAStreamTheOthersHaveSendsThemAnOfferWithTheNewMeta() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        ben.forget();

        rooms.addStream(anna.peer, "anna-cam", 800, name("Anna K."), anna.browser.createOffer());
        anna.applyLastAnswer(MessageTypes.ANSWER);

        SdpData offer = ben.last(MessageTypes.OFFER, SdpData.class);
        assertThat(peerIn(offer.room(), "anna").streams()).containsExactly(new StreamMeta("anna-cam", 800, name("Anna K.")));
        settle(anna, ben);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    @Test
    void removeStreamWithdrawsTheStreamFromEveryoneElse() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);

        anna.browser.unpublish();
        rooms.removeStream(anna.peer, "anna", "anna-cam", anna.browser.createOffer());
        anna.applyLastAnswer(MessageTypes.ANSWER);

        assertThat(anna.types()).containsExactly(MessageTypes.ANSWER);
        assertThat(peerIn(ben.last(MessageTypes.OFFER, SdpData.class).room(), "anna").streams()).isEmpty();
        assertThat(events).contains(new RoomEvent.StreamRemoved(NOW, ROOM, "anna", "anna-cam"));
        settle(anna, ben);
        assertThat(ben.browser.receiving()).isEmpty();
    }

    @Test
    void onlyTheOwnerMayRemoveAStream() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);

        assertThatThrownBy(() -> rooms.removeStream(ben.peer, "anna", "anna-cam", ben.browser.createOffer()))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("not-owner"));

        assertThat(peerIn(room().meta(), "anna").streams()).extracting(StreamMeta::id).containsExactly("anna-cam");
        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
    }

    @Test
    void removingAStreamOneDoesNotPublishIsUnknownStream() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);

        assertThatThrownBy(() -> rooms.removeStream(ben.peer, "ben", "anna-cam", ben.browser.createOffer()))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));
        assertThat(peerIn(room().meta(), "anna").streams()).extracting(StreamMeta::id).containsExactly("anna-cam");
    }

    @Test
    void addStreamDescribesOnlyTheSendersOwnStreamsNeverAnotherPeersOfTheSameId() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);

        rooms.addStream(ben.peer, "anna-cam", 50, name("Mallory"), ben.browser.createOffer());
        ben.applyLastAnswer(MessageTypes.ANSWER);

        assertThat(peerIn(room().meta(), "anna").streams()).containsExactly(new StreamMeta("anna-cam", 1200, name("Anna")));
        settle(anna, ben);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    // ---- mutes: configure local (the owner), configure remote (a receiver), the operator ----------------------

    @Test
    void anOwnersMuteIsRelayedToEveryOtherPeerAsByPeer() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        publish(anna, "anna-cam");
        settle(anna, ben, carl);
        forget(anna, ben, carl);

        rooms.configureLocal(anna.peer, "anna", "anna-cam", false, null);

        ConfigureData relay = new ConfigureData("anna", "anna-cam", true, false, null, false, "peer", true);
        assertThat(ben.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(relay);
        assertThat(carl.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(relay);
        assertThat(anna.messages()).isEmpty();
        assertThat(events).contains(new RoomEvent.StreamMuted(NOW, ROOM, "anna", "anna-cam",
                new MuteState(true, false, false, false)));
        assertThat(plane.plan.stream("anna", "anna-cam").audioMuted()).as("the media plane hears of it").isTrue();
        assertThat(plane.plan.reception("ben", "anna", "anna-cam").audio()).isFalse();
        assertThat(plane.plan.reception("ben", "anna", "anna-cam").video()).isTrue();
    }

    @Test
    void configureLocalAppliesToOnesOwnStreamsOnly() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);

        assertThatThrownBy(() -> rooms.configureLocal(ben.peer, "anna", "anna-cam", false, false))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("not-owner"));
        assertThatThrownBy(() -> rooms.configureLocal(ben.peer, "ben", "anna-cam", false, false))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));

        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
        assertThat(anna.peer.streams().get(0).mute()).isEqualTo(MuteState.NONE);
    }

    @Test
    void aVideoSizeIsTheReceiversOwnWishAndReachesTheMediaPlane() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        publish(anna, "anna-cam");
        settle(anna, ben, carl);
        forget(anna, ben, carl);
        assertThat(plane.plan.reception("ben", "anna", "anna-cam").wish()).as("no wish: the best layer").isNull();

        rooms.videoSize(ben.peer, "anna", "anna-cam", new VideoSize(320, 180));
        rooms.videoSize(carl.peer, "anna", "anna-cam", VideoSize.NONE);

        assertThat(plane.plan.reception("ben", "anna", "anna-cam").wish()).isEqualTo(new VideoSize(320, 180));
        assertThat(plane.plan.reception("carl", "anna", "anna-cam").wish()).as("tile hidden").isEqualTo(VideoSize.NONE);
        assertThat(plane.plan.reception("carl", "anna", "anna-cam").video()).as("not a mute").isTrue();
        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
        assertThatThrownBy(() -> rooms.videoSize(anna.peer, "anna", "anna-cam", new VideoSize(320, 180)))
                .as("one's own stream").isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));
        assertThatThrownBy(() -> rooms.videoSize(ben.peer, "anna", "nope", new VideoSize(320, 180)))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));
        assertThatThrownBy(() -> new VideoSize(0, 180)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenAPublisherLeavesItsStreamsLeaveEveryonesWishes() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        rooms.videoSize(ben.peer, "anna", "anna-cam", new VideoSize(640, 360));

        rooms.leave(anna.peer, "left", null);

        assertThat(ben.peer.videoSizes()).isEmpty();
        assertThat(plane.plan.receptions().get("ben")).isEmpty();
        assertThat(plane.plan.streams()).isEmpty();
    }

    @Test
    void aRemoteMuteIsTheReceiversOwnAndIsRelayedToNobody() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        publish(anna, "anna-cam");
        settle(anna, ben, carl);
        forget(anna, ben, carl);

        rooms.configureRemote(ben.peer, "anna", "anna-cam", null, false);

        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
        assertThat(carl.messages()).isEmpty();
        assertThat(ben.peer.receiveMute("anna-cam")).isEqualTo(new MuteState(false, true, false, false));
        assertThat(carl.peer.receiveMute("anna-cam")).isEqualTo(MuteState.NONE);
        assertThat(anna.peer.streams().get(0).mute()).isEqualTo(MuteState.NONE);
        assertThat(plane.plan.reception("ben", "anna", "anna-cam").video()).as("the media plane hears of it").isFalse();
        assertThat(plane.plan.reception("ben", "anna", "anna-cam").audio()).isTrue();
        assertThat(plane.plan.reception("carl", "anna", "anna-cam").video()).isTrue();
        assertThat(plane.plan.stream("anna", "anna-cam").videoMuted()).as("for ben only").isFalse();
        assertThatThrownBy(() -> rooms.configureRemote(ben.peer, "anna", "nope", null, false))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));
    }

    @Test
    void theOperatorsMuteIsToldToEveryoneTheOwnerIncludedAsByOperator() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);

        rooms.operatorMute(ROOM, "anna", "anna-cam", true, null);

        ConfigureData notice = new ConfigureData("anna", "anna-cam", false, false, null, false, "operator", true);
        assertThat(anna.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(notice);
        assertThat(ben.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(notice);
        assertThat(events).contains(new RoomEvent.StreamMuted(NOW, ROOM, "anna", "anna-cam",
                new MuteState(false, false, true, false)));
        assertThatThrownBy(() -> rooms.operatorMute(ROOM, "anna", "nope", true, null))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-stream"));
    }

    @Test
    void onlyTheOperatorCanLiftTheOperatorsMuteAndLiftingItLeavesTheOwnersOwn() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        rooms.operatorMute(ROOM, "anna", "anna-cam", true, null);
        ben.forget();

        assertThatThrownBy(() -> rooms.configureLocal(anna.peer, "anna", "anna-cam", true, null))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("muted-by-operator"));
        assertThat(ben.messages()).isEmpty();

        rooms.configureLocal(anna.peer, "anna", "anna-cam", false, false); // muting more is the owner's right
        rooms.operatorMute(ROOM, "anna", "anna-cam", false, null);
        assertThat(anna.peer.streams().get(0).mute()).isEqualTo(new MuteState(true, true, false, false));

        rooms.configureLocal(anna.peer, "anna", "anna-cam", true, true);
        assertThat(anna.peer.streams().get(0).mute()).isEqualTo(MuteState.NONE);
    }

    @Test
    void aNewcomerHearsRightAfterJoinedWhichStreamsAreMutedAndByWhomOneKindPerMessage() throws Exception {
        ScriptedClient anna = join("anna");
        publish(anna, "anna-cam");
        settle(anna);
        rooms.configureLocal(anna.peer, "anna", "anna-cam", null, false);
        rooms.operatorMute(ROOM, "anna", "anna-cam", true, null);

        ScriptedClient ben = join("ben");

        assertThat(ben.types().subList(0, 3)).containsExactly(MessageTypes.JOINED, MessageTypes.CONFIGURE,
                MessageTypes.CONFIGURE);
        assertThat(ben.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(
                new ConfigureData("anna", "anna-cam", true, false, false, null, "peer", true),
                new ConfigureData("anna", "anna-cam", false, false, null, false, "operator", true));
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    @Test
    void aMessageGoesToEveryOtherPeerSayingWhoSentIt() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        forget(anna, ben, carl);
        JsonNode hello = JSON.createObjectNode().put("text", "hello");

        rooms.message(anna.peer, hello);

        assertThat(ben.received(MessageTypes.MESSAGE, MessageData.class)).containsExactly(new MessageData(hello, "anna"));
        assertThat(carl.received(MessageTypes.MESSAGE, MessageData.class)).containsExactly(new MessageData(hello, "anna"));
        assertThat(anna.messages()).isEmpty();
    }

    @Test
    void theOperatorSpeaksToTheWholeRoomOrToOnePeerAsOperator() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        forget(anna, ben);
        JsonNode all = JSON.createObjectNode().put("text", "five minutes left");
        JsonNode one = JSON.createObjectNode().put("text", "your microphone hums");

        rooms.operatorMessage(ROOM, null, all);
        rooms.operatorMessage(ROOM, "ben", one);

        assertThat(anna.received(MessageTypes.MESSAGE, MessageData.class)).containsExactly(new MessageData(all, "operator"));
        assertThat(ben.received(MessageTypes.MESSAGE, MessageData.class))
                .containsExactly(new MessageData(all, "operator"), new MessageData(one, "operator"));
        assertThatThrownBy(() -> rooms.operatorMessage(ROOM, "nobody", one))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("unknown-peer"));
    }

    // ---- leaving ----------------------------------------------------------------------------------------------

    @Test
    void aLeaverIsGoneForTheOthersWithPeerRemovedAndAnOfferWithoutItsStreams() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);
        events.clear();

        rooms.leave(anna.peer, "left", null);

        assertThat(ben.types()).containsExactly(MessageTypes.PEER_REMOVED, MessageTypes.OFFER);
        PeerMeta removed = ben.last(MessageTypes.PEER_REMOVED, PeerData.class).peer();
        assertThat(removed.id()).isEqualTo("anna");
        assertThat(removed.streams()).extracting(StreamMeta::id).containsExactly("anna-cam");
        assertThat(ben.last(MessageTypes.OFFER, SdpData.class).room().peers()).extracting(PeerMeta::id)
                .containsExactly("ben");
        assertThat(anna.closedWith).as("a peer that left itself keeps its connection").isNull();
        assertThat(anna.messages()).isEmpty();
        assertThat(events).containsExactly(new RoomEvent.StreamRemoved(NOW, ROOM, "anna", "anna-cam"),
                new RoomEvent.PeerLeft(NOW, ROOM, "anna", "left"));
        settle(ben);
        assertThat(ben.browser.receiving()).isEmpty();
    }

    @Test
    void aKickedPeerIsToldWhyAndDisconnectedAndTheOthersSeeItLeave() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        anna.forget();

        rooms.kick(ROOM, "ben", null);

        assertThat(ben.closedWith).isEqualTo("kicked");
        assertThat(ben.closeMessage).isEqualTo("The operator removed you from the room.");
        assertThat(anna.types()).containsExactly(MessageTypes.PEER_REMOVED);
        assertThat(events).contains(new RoomEvent.PeerLeft(NOW, ROOM, "ben", "kicked"));
        assertThatThrownBy(() -> rooms.kick(ROOM, "ben", "again")).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("unknown-peer"));
    }

    @Test
    void aPeerThatLeftCanNoLongerActInTheRoom() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        rooms.leave(ben.peer, "left", null);
        anna.forget();

        assertThatThrownBy(() -> rooms.message(ben.peer, JSON.createObjectNode()))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("not-joined"));
        assertThatThrownBy(() -> rooms.offer(ben.peer, ben.browser.createOffer()))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("not-joined"));
        assertThat(anna.messages()).isEmpty();
    }

    @Test
    void atShutdownEveryPeerIsToldTheReasonAndTheRoomCloses() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");

        rooms.closeAll("shutdown", "The server is stopping.");

        assertThat(anna.closedWith).isEqualTo("shutdown");
        assertThat(ben.closedWith).isEqualTo("shutdown");
        assertThat(rooms.room(ROOM)).isEmpty();
        assertThat(events).contains(new RoomEvent.RoomClosed(NOW, ROOM));
    }

    // ---- the door: lock, lobby, admit, refuse, PIN ------------------------------------------------------------

    @Test
    void aLockedRoomSendsANewcomerToItsLobbyAndTellsTheOperatorOnly() throws Exception {
        ScriptedClient anna = join("anna");
        rooms.lock(ROOM, true);
        anna.forget();
        Lobby lobby = new Lobby();

        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        assertThatThrownBy(() -> knock(ben, lobby)).isInstanceOfSatisfying(InLobby.class, e -> {
            assertThat(e.code()).isEqualTo("lobby");
            assertThat(e.knockId()).isEqualTo("k1");
        });

        assertThat(room().peers()).extracting(Peer::id).containsExactly("anna");
        assertThat(room().lobby()).extracting(Knock::userId).containsExactly("ben");
        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
        assertThat(events).contains(new RoomEvent.DoorChanged(NOW, ROOM, true, false),
                new RoomEvent.Knock(NOW, ROOM, "k1", "ben", "Ben", ben.remoteAddress()));
    }

    @Test
    void withoutALobbyToWaitInALockedRoomRefusesTheJoin() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);

        assertThatThrownBy(() -> join("ben")).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("join-refused"));
        assertThat(room().lobby()).isEmpty();
    }

    @Test
    void theOperatorsAdmissionLetsTheKnockerInOnce() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);
        Lobby lobby = new Lobby();
        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        assertThatThrownBy(() -> knock(ben, lobby)).isInstanceOf(InLobby.class);

        rooms.decide(ROOM, "k1", true);

        assertThat(lobby.admitted).isEqualTo(1);
        assertThat(events).contains(new RoomEvent.KnockEnded(NOW, ROOM, "k1", "admitted", "ben", "Ben"));
        ben.peer = knock(ben, lobby); // the session runs its join again
        assertThat(ben.types()).first().isEqualTo(MessageTypes.JOINED);

        rooms.leave(ben.peer, "left", null);
        ScriptedClient benLater = new ScriptedClient("ben", ++seeds);
        assertThatThrownBy(() -> knock(benLater, lobby)).as("admitted once, not for good").isInstanceOf(InLobby.class);
    }

    @Test
    void aRefusedKnockerIsToldAndMayKnockAgain() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);
        Lobby lobby = new Lobby();
        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        assertThatThrownBy(() -> knock(ben, lobby)).isInstanceOf(InLobby.class);

        rooms.decide(ROOM, "k1", false);

        assertThat(lobby.refusals).hasSize(1);
        assertThat(events).contains(new RoomEvent.KnockEnded(NOW, ROOM, "k1", "refused", "ben", "Ben"));
        assertThat(room().lobby()).isEmpty();
        assertThatThrownBy(() -> knock(new ScriptedClient("ben", ++seeds), lobby))
                .isInstanceOfSatisfying(InLobby.class, e -> assertThat(e.knockId()).isEqualTo("k2"));
    }

    @Test
    void decidingOnSomeoneWhoIsNotWaitingIsUnknownKnock() throws Exception {
        join("anna");
        assertThatThrownBy(() -> rooms.decide(ROOM, "k9", true)).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("unknown-knock"));
    }

    @Test
    void unlockingTheDoorLetsEveryoneWaitingIn() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);
        Lobby lobby = new Lobby();
        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        ScriptedClient carl = new ScriptedClient("carl", ++seeds);
        assertThatThrownBy(() -> knock(ben, lobby)).isInstanceOf(InLobby.class);
        assertThatThrownBy(() -> knock(carl, lobby)).isInstanceOf(InLobby.class);

        rooms.lock(ROOM, false);

        assertThat(lobby.admitted).isEqualTo(2);
        assertThat(room().lobby()).isEmpty();
        assertThat(events).contains(new RoomEvent.DoorChanged(NOW, ROOM, false, false),
                new RoomEvent.KnockEnded(NOW, ROOM, "k1", "admitted", "ben", "Ben"),
                new RoomEvent.KnockEnded(NOW, ROOM, "k2", "admitted", "carl", "Carl"));
        knock(ben, lobby);
        knock(carl, lobby);
        assertThat(room().peers()).extracting(Peer::id).containsExactly("anna", "ben", "carl");
    }

    @Test
    void aReloadTakesItsSeatBackThroughALockedDoor() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);

        ScriptedClient annaAgain = join("anna");

        assertThat(annaAgain.types()).first().isEqualTo(MessageTypes.JOINED);
        assertThat(room().lobby()).isEmpty();
    }

    @Test
    void knockingAgainReplacesTheEarlierKnock() throws Exception {
        join("anna");
        rooms.lock(ROOM, true);
        Lobby lobby = new Lobby();
        assertThatThrownBy(() -> knock(new ScriptedClient("ben", ++seeds), lobby)).isInstanceOf(InLobby.class);
        assertThatThrownBy(() -> knock(new ScriptedClient("ben", ++seeds), lobby)).isInstanceOf(InLobby.class);

        assertThat(room().lobby()).extracting(Knock::knockId).containsExactly("k2");
        assertThat(events).contains(new RoomEvent.KnockEnded(NOW, ROOM, "k1", "gone", "ben", "Ben"));
    }

    @Test
    void aRoomWithSomeoneInItsLobbyStaysOpenUntilTheyStopWaiting() throws Exception {
        ScriptedClient anna = join("anna");
        rooms.lock(ROOM, true);
        assertThatThrownBy(() -> knock(new ScriptedClient("ben", ++seeds), new Lobby())).isInstanceOf(InLobby.class);

        rooms.leave(anna.peer, "left", null);
        assertThat(rooms.room(ROOM)).isPresent();
        assertThat(events).doesNotContain(new RoomEvent.RoomClosed(NOW, ROOM));

        rooms.withdrawKnock(ROOM, "k1");
        assertThat(rooms.room(ROOM)).isEmpty();
        assertThat(events).containsSubsequence(new RoomEvent.KnockEnded(NOW, ROOM, "k1", "gone", "ben", "Ben"),
                new RoomEvent.RoomClosed(NOW, ROOM));
    }

    @Test
    void refusingTheLastPersonWaitingAtAnEmptyRoomClosesIt() throws Exception {
        ScriptedClient anna = join("anna");
        rooms.lock(ROOM, true);
        assertThatThrownBy(() -> knock(new ScriptedClient("ben", ++seeds), new Lobby())).isInstanceOf(InLobby.class);
        rooms.leave(anna.peer, "left", null);

        rooms.decide(ROOM, "k1", false);

        assertThat(rooms.room(ROOM)).isEmpty();
    }

    @Test
    void aRoomWithAPinAsksForItAtEveryJoinTheOwnSeatIncluded() throws Exception {
        join("anna");
        rooms.pin(ROOM, "4711");
        assertThat(events).contains(new RoomEvent.DoorChanged(NOW, ROOM, false, true));

        assertThatThrownBy(() -> joinWithPin("ben", null)).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("pin-required"));
        assertThatThrownBy(() -> joinWithPin("ben", "1234")).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("pin-wrong"));
        assertThatThrownBy(() -> joinWithPin("anna", null)).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("pin-required"));
        assertThat(joinWithPin("ben", "4711").types()).first().isEqualTo(MessageTypes.JOINED);
    }

    @Test
    void aWrongPinIsToldAtOnceAndNeverReachesTheLobby() throws Exception {
        join("anna");
        rooms.pin(ROOM, "4711");
        rooms.lock(ROOM, true);
        ScriptedClient ben = new ScriptedClient("ben", ++seeds);
        ben.browser.receiveOnly();

        assertThatThrownBy(() -> rooms.join(new JoinRequest(ROOM, "ben", false, true, ben.browser.createOffer(),
                null, "0000", false), ben, new Lobby()))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.code()).isEqualTo("pin-wrong"));
        assertThat(room().lobby()).isEmpty();
        assertThat(events).noneMatch(RoomEvent.Knock.class::isInstance);
    }

    @Test
    void aPinHasAtMost32CharactersAndABlankOneRemovesIt() throws Exception {
        join("anna");
        assertThatThrownBy(() -> rooms.pin(ROOM, "x".repeat(33))).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("invalid-field"));
        rooms.pin(ROOM, "4711");
        rooms.pin(ROOM, "  ");

        assertThat(room().pinSet()).isFalse();
        assertThat(joinWithPin("ben", null).types()).first().isEqualTo(MessageTypes.JOINED);
    }

    // ---- offers and answers -----------------------------------------------------------------------------------

    @Test
    void anAnswerWithoutAnOutstandingServerOfferIsNoOfferPending() throws Exception {
        ScriptedClient anna = join("anna");
        String sdp = anna.browser.createOffer(); // any description: it is refused before it is read

        assertThatThrownBy(() -> rooms.answer(anna.peer, sdp)).isInstanceOfSatisfying(RoomException.class,
                e -> assertThat(e.code()).isEqualTo("no-offer-pending"));
    }

    @Test
    void oneServerOfferAtATimeAndChangesMeanwhileAreMergedIntoTheNext() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        settle(anna, ben, carl);
        forget(anna, ben, carl);

        publish(anna, "anna-cam"); // ben is offered anna's stream and does not answer yet
        publish(carl, "carl-cam");
        assertThat(ben.received(MessageTypes.OFFER, SdpData.class)).hasSize(1);

        ben.answerNextOffer(rooms);
        assertThat(ben.received(MessageTypes.OFFER, SdpData.class)).hasSize(2);
        assertThat(ben.last(MessageTypes.OFFER, SdpData.class).sdp()).contains("a=msid:carl-cam ");
        settle(anna, ben, carl);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video", "carl-cam audio",
                "carl-cam video");
    }

    @Test
    void aClientOfferThatCrossesTheServersOfferWinsAndTheServerOffersAfresh() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        settle(anna, ben);
        publish(anna, "anna-cam");
        ben.forget();
        ben.ignoreOffers(); // ben's own offer was on its way: it never answers the server's

        rooms.offer(ben.peer, ben.browser.createOffer());

        assertThat(ben.types()).containsExactly(MessageTypes.ANSWER, MessageTypes.OFFER);
        assertThat(ben.messages().get(0).reply()).isTrue();
        ben.applyLastAnswer(MessageTypes.ANSWER);
        settle(anna, ben);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    @Test
    void aServerOfferUnansweredPastTheOfferTimeoutIsTakenAsApplied() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        settle(anna, ben, carl);
        publish(anna, "anna-cam");
        settle(anna, carl);
        ben.forget();

        long timeout = 10_000_000_000L;
        room().checkOfferTimeouts(System.nanoTime() + timeout + 1, timeout);
        assertThat(ben.messages()).isEmpty();

        publish(carl, "carl-cam");
        assertThat(ben.types()).as("the next change is offered at once").containsExactly(MessageTypes.OFFER);
    }

    @Test
    void aBrowserThatCouldNotApplyAnOfferGetsAFreshCompleteOneAndTheOperatorHears() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        settle(anna, ben);
        publish(anna, "anna-cam");
        ben.forget();
        ben.ignoreOffers(); // Chrome refused it and rolled back

        rooms.renegotiate(ben.peer, "offer-failed", "Failed to set remote offer sdp", null);

        assertThat(ben.types()).containsExactly(MessageTypes.OFFER);
        assertThat(ben.peer.negotiationFailures()).isEqualTo(1);
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RoomEvent.ClientError.class, err -> {
            assertThat(err.peerId()).isEqualTo("ben");
            assertThat(err.code()).isEqualTo("negotiation-failed");
            assertThat(err.message()).contains("Failed to set remote offer sdp");
        }));
        settle(anna, ben);
        assertThat(ben.browser.receiving()).containsExactly("anna-cam audio", "anna-cam video");
    }

    @Test
    void aNoMediaReportIsAnsweredByWhatTheMediaPlaneSees() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        ben.forget();

        plane.flow = VideoFlow.PUBLISHER_SILENT;
        rooms.renegotiate(ben.peer, "no-media", null, "anna-cam");
        assertThat(ben.last(MessageTypes.RENEGOTIATE, RenegotiateReply.class).action()).isEqualTo("wait");

        plane.flow = VideoFlow.FORWARDING;
        rooms.renegotiate(ben.peer, "no-media", null, "anna-cam");
        assertThat(ben.last(MessageTypes.RENEGOTIATE, RenegotiateReply.class).action()).isEqualTo("keyframe");
        assertThat(plane.keyframeRequests).containsExactly("anna/anna-cam");
        assertThat(ben.types()).doesNotContain(MessageTypes.OFFER);
        assertThat(ben.peer.negotiationFailures()).isZero();

        rooms.renegotiate(ben.peer, "no-media", null, "anna-cam"); // a keyframe did not help: a fresh offer
        assertThat(ben.types()).endsWith(MessageTypes.OFFER);
        assertThat(ben.peer.negotiationFailures()).isEqualTo(1);

        ben.forget();
        plane.flow = VideoFlow.NOT_FORWARDED;
        settle(anna, ben);
        rooms.renegotiate(ben.peer, "no-media", null, "anna-cam");
        assertThat(ben.types()).containsExactly(MessageTypes.OFFER);
    }

    // ---- the operator's actions on streams, and the dominant speaker ------------------------------------------

    @Test
    void stoppingAStreamTellsItsOwnerAndWithdrawsItFromEveryoneElseForGood() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        publish(anna, "anna-cam");
        settle(anna, ben);
        forget(anna, ben);

        rooms.stopStream(ROOM, "anna", "anna-cam", null);

        assertThat(anna.received(MessageTypes.STOP_STREAM, StopStreamData.class)).containsExactly(
                new StopStreamData("anna-cam", "operator", "The operator stopped your camera and microphone."));
        assertThat(peerIn(ben.last(MessageTypes.OFFER, SdpData.class).room(), "anna").streams()).isEmpty();
        assertThat(events).contains(new RoomEvent.StreamStopped(NOW, ROOM, "anna", "anna-cam"));
        settle(anna, ben);
        assertThat(ben.browser.receiving()).isEmpty();

        forget(anna, ben);
        rooms.stopStream(ROOM, "anna", "anna-cam", null);
        assertThat(anna.messages()).isEmpty();
        assertThat(ben.messages()).isEmpty();
    }

    @Test
    void speakerMessagesGoOnlyToPeersThatAskedForThem() throws Exception {
        ScriptedClient anna = join("anna", true);
        ScriptedClient ben = join("ben");
        publish(ben, "ben-cam");
        settle(anna, ben);
        forget(anna, ben);
        List<SpeakerLevel> levels = List.of(new SpeakerLevel("ben", "ben-cam", 62, true));

        plane.events.get("ben").speakerChanged("ben", "ben-cam", levels);
        plane.events.get("ben").speakerLevels(levels);

        SpeakerData.Level level = new SpeakerData.Level("ben", "ben-cam", 62, true);
        assertThat(anna.received(MessageTypes.SPEAKER, SpeakerData.class)).containsExactly(
                new SpeakerData("ben", "ben-cam", true, List.of(level)),
                new SpeakerData("ben", "ben-cam", false, List.of(level)));
        assertThat(ben.messages()).isEmpty();
        assertThat(room().speakerPeerId()).isEqualTo("ben");
        assertThat(events).contains(new RoomEvent.SpeakerChanged(NOW, ROOM, "ben", "ben-cam"));

        anna.forget();
        rooms.leave(ben.peer, "left", null);
        assertThat(anna.received(MessageTypes.SPEAKER, SpeakerData.class))
                .containsExactly(new SpeakerData(null, null, true, List.of()));
        assertThat(room().speakerPeerId()).isNull();
    }

    @Test
    void muteEveryoneButTheSpeakerSparesOnlyTheDominantSpeakersAudioAndUnmuteEveryoneUndoesIt() throws Exception {
        ScriptedClient anna = join("anna");
        ScriptedClient ben = join("ben");
        ScriptedClient carl = join("carl");
        publish(anna, "anna-cam");
        publish(ben, "ben-cam");
        publish(carl, "carl-cam");
        settle(anna, ben, carl);
        plane.events.get("ben").speakerChanged("ben", "ben-cam", List.of());
        forget(anna, ben, carl);

        assertThat(rooms.muteAllButSpeaker(ROOM)).isEqualTo(2);

        assertThat(ben.received(MessageTypes.CONFIGURE, ConfigureData.class)).containsExactly(
                new ConfigureData("anna", "anna-cam", false, false, null, false, "operator", true),
                new ConfigureData("carl", "carl-cam", false, false, null, false, "operator", true));
        assertThat(ben.peer.streams().get(0).mute()).isEqualTo(MuteState.NONE);
        assertThat(rooms.unmuteAllAudio(ROOM)).isEqualTo(2);
        assertThat(anna.peer.streams().get(0).mute()).isEqualTo(MuteState.NONE);
    }

    // ---- the table: a room, its clients, a media plane without media -------------------------------------------

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    private Rooms rooms(ServerConfig.Limits limits) {
        Rooms r = new Rooms(limits, plane, Clock.fixed(NOW, ZoneOffset.UTC), 1500);
        r.addListener(events::add);
        return r;
    }

    private Room room() {
        return rooms.room(ROOM).orElseThrow();
    }

    /** Joins receive-only, as a client that answers server offers, with {@code attributes.name}. */
    private ScriptedClient join(String user) throws Exception {
        return join(user, false);
    }

    private ScriptedClient join(String user, boolean speakerEvents) throws Exception {
        ScriptedClient c = new ScriptedClient(user, ++seeds);
        c.browser.receiveOnly();
        c.peer = rooms.join(new JoinRequest(ROOM, user, false, true, c.browser.createOffer(), name(capitalised(user)),
                null, speakerEvents), c, null);
        c.applyLastAnswer(MessageTypes.JOINED);
        return c;
    }

    private ScriptedClient joinWithPin(String user, String pin) throws Exception {
        ScriptedClient c = new ScriptedClient(user, ++seeds);
        c.browser.receiveOnly();
        c.peer = rooms.join(new JoinRequest(ROOM, user, false, true, c.browser.createOffer(), null, pin, false), c,
                null);
        c.applyLastAnswer(MessageTypes.JOINED);
        return c;
    }

    /** A join through the door with a lobby to wait in (the signalling session); the same offer each time. */
    private Peer knock(ScriptedClient c, Lobby lobby) throws Exception {
        if (c.knockOffer == null) {
            c.browser.receiveOnly();
            c.knockOffer = c.browser.createOffer();
        }
        Peer peer = rooms.join(new JoinRequest(ROOM, c.user, false, true, c.knockOffer, name(capitalised(c.user)),
                null, false), c, lobby);
        c.peer = peer;
        c.applyLastAnswer(MessageTypes.JOINED);
        return peer;
    }

    /**
     * Publishes a camera (audio and video) with addStream, as the web client does, and applies the answer. A server
     * offer the client has not applied yet crosses the addStream: the server withdraws it, the client ignores it.
     */
    private void publish(ScriptedClient c, String msid) throws Exception {
        c.ignoreOffers();
        c.browser.publish(msid);
        rooms.addStream(c.peer, msid, 1200, name(capitalised(c.user)), c.browser.createOffer());
        c.applyLastAnswer(MessageTypes.ANSWER);
    }

    /** Every client answers every server offer, until none is outstanding. */
    private void settle(ScriptedClient... clients) throws Exception {
        boolean more = true;
        while (more) {
            more = false;
            for (ScriptedClient c : clients) {
                more |= c.answerNextOffer(rooms);
            }
        }
    }

    private static void forget(ScriptedClient... clients) {
        for (ScriptedClient c : clients) {
            c.forget();
        }
    }

    private static PeerMeta peerIn(RoomMeta meta, String peerId) {
        return meta.peers().stream().filter(p -> p.id().equals(peerId)).findFirst().orElseThrow();
    }

    private static ObjectNode name(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    private static String capitalised(String user) {
        return Character.toUpperCase(user.charAt(0)) + user.substring(1);
    }

    /** The signalling session of someone at the door: hears the operator's decision. */
    private static final class Lobby implements Lobbyist {
        int admitted;
        final List<String> refusals = new ArrayList<>();

        @Override
        public void admitted() {
            admitted++;
        }

        @Override
        public void refused(String message) {
            refusals.add(message);
        }
    }

    /** {@link NoMedia}, with a video flow the test sets, the keyframe requests it got and each peer's events. */
    private static final class Plane implements MediaPlane {
        private final NoMedia none = new NoMedia();
        final Map<String, MediaEvents> events = new HashMap<>();
        final List<String> keyframeRequests = new ArrayList<>();
        VideoFlow flow = VideoFlow.NOT_FORWARDED;
        MediaPlan plan = MediaPlan.EMPTY;

        @Override
        public PeerMedia open(Room room, String peerId, MediaEvents events) {
            this.events.put(peerId, events);
            PeerMedia media = none.open(room, peerId, events);
            return new PeerMedia() {
                @Override
                public LocalTransport localTransport() {
                    return media.localTransport();
                }

                @Override
                public void update(TransportDescription remote, List<PublishedTrack> published,
                                   List<SendTrack> receiving) {
                }

                @Override
                public VideoFlow videoFlow(String publisherId, String streamId) {
                    return flow;
                }

                @Override
                public void requestKeyframe(String publisherId, String streamId) {
                    keyframeRequests.add(publisherId + "/" + streamId);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void planChanged(Room room, MediaPlan next) {
            plan = next;
        }
    }
}
