package dev.roomdeck.room;

import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.protocol.SdpData;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * One room driven by random people, the way the bundled web client behaves, against the real {@link Rooms}: joins
 * (publishing or receive-only, four browsers' numbering), addStream, removeStream, plain offers, mutes, leaves,
 * reloads, offers the browser reports it could not apply, and the passing of time. Messages from the server wait
 * in each client's inbox until the simulation delivers them, so client offers cross server offers in every order.
 *
 * <p>Each step is written to a log; a refused description or an unexpected error ends the run with the log.
 * {@link #settle()} then delivers everything and checks that every browser receives exactly every other person's
 * published stream.
 */
final class MeetingSimulation {
    static final String ROOM = "sim";
    /** One person's browser tab: its peer connection, its inbox, and where its own negotiation stands. */
    final class Client implements PeerLink {
        final String user;
        final PeerConnectionSide pc;
        final Deque<Object[]> inbox = new ArrayDeque<>(); // {type, data, replyToRequestId or null}
        Peer peer;
        String pendingRequest; // the type of our own offer awaiting its reply, or null
        String pendingId;
        String currentRequestId;
        String stream; // the stream we publish now, or null
        boolean wantsToPublish;
        boolean gone;
        boolean muted;
        /** A client of an older SDK publishes with plain offers and never sends addStream. */
        boolean legacy;

        Client(String user, PeerConnectionSide pc) {
            this.user = user;
            this.pc = pc;
        }

        @Override
        public void send(String type, Object data) {
            if (!gone) {
                inbox.add(new Object[] {type, data, null});
            }
        }

        @Override
        public void reply(String type, Object data) {
            if (!gone) {
                inbox.add(new Object[] {type, data, currentRequestId});
            }
        }

        @Override
        public void close(String reason, String message) {
            inbox.add(new Object[] {MessageTypes.LEAVE, reason, null});
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        boolean idle() {
            return peer != null && !gone && pendingRequest == null;
        }

        @Override
        public String toString() {
            return user;
        }
    }

    private final Random random;
    private final BiFunction<String, Random, PeerConnectionSide> browsers;
    private final Rooms rooms;
    private final List<Client> clients = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final int maxPeople;
    private int nextUser;
    private int nextStream;
    private int nextRequest;

    /** @param browsers makes a browser of a family ("chrome" or "firefox") */
    MeetingSimulation(long seed, int maxPeople, BiFunction<String, Random, PeerConnectionSide> browsers) {
        this.random = new Random(seed);
        this.maxPeople = maxPeople;
        this.browsers = browsers;
        rooms = new Rooms(ServerConfig.Limits.defaults().withMaxPeersPerRoom(maxPeople + 2), new NoMedia(),
                Clock.systemUTC(), 1500);
    }

    List<String> log() {
        return log;
    }

    /** Runs {@code steps} random steps; throws AssertionError with the log when something is refused. */
    void run(int steps) {
        for (int i = 0; i < steps; i++) {
            step();
        }
    }

    private void step() {
        List<Client> live = clients.stream().filter(c -> !c.gone).toList();
        List<Client> withMail = live.stream().filter(c -> !c.inbox.isEmpty()).toList();
        int roll = random.nextInt(100);
        if (roll < 45 && !withMail.isEmpty()) {
            deliver(pick(withMail));
        } else if (roll < 60 && live.size() < maxPeople) {
            join(random.nextInt(5) > 0);
        } else if (roll < 64 && !live.isEmpty()) {
            Client c = pick(live);
            say(c + " leaves" + (random.nextBoolean() ? "" : " (tab closed)"));
            leave(c);
        } else if (roll < 68 && !live.isEmpty()) {
            reload(pick(live));
        } else {
            List<Client> idle = live.stream().filter(Client::idle).toList();
            if (idle.isEmpty()) {
                if (!withMail.isEmpty()) {
                    deliver(pick(withMail));
                }
                return;
            }
            Client c = pick(idle);
            int what = random.nextInt(10);
            if (what < 2) {
                if (c.stream == null) {
                    publish(c);
                } else {
                    unpublish(c);
                }
            } else if (what < 4) {
                ownOffer(c, MessageTypes.OFFER, null);
            } else if (what < 6 && c.stream != null) {
                c.muted = !c.muted;
                say(c + (c.muted ? " mutes" : " unmutes"));
                call(c, () -> rooms.configureLocal(c.peer, c.user, c.stream, !c.muted, !c.muted));
            } else if (what < 7) {
                failNextOffer(c);
            } else {
                say("time passes");
                tick();
            }
        }
    }

    /** Delivers everything, letting time pass, until nothing moves; then checks who receives whom. */
    void settle() {
        for (int round = 0; round < 200; round++) {
            boolean moved = false;
            for (Client c : List.copyOf(clients)) {
                while (!c.gone && !c.inbox.isEmpty()) {
                    deliver(c);
                    moved = true;
                }
            }
            if (!moved) {
                tick();
                if (clients.stream().allMatch(c -> c.gone || c.inbox.isEmpty())) {
                    checkEveryoneReceivesEveryone();
                    return;
                }
            }
        }
        throw failure("the negotiation never settled");
    }

    private void checkEveryoneReceivesEveryone() {
        List<Client> live = clients.stream().filter(c -> !c.gone && c.peer != null).toList();
        for (Client c : live) {
            List<String> expected = new ArrayList<>();
            for (Client other : live) {
                if (other != c && other.stream != null) {
                    expected.add(other.stream + " audio");
                    expected.add(other.stream + " video");
                }
            }
            expected.sort(null);
            List<String> actual = c.pc.receiving();
            if (!actual.equals(expected)) {
                throw failure(c + " receives " + actual + " but should receive " + expected + "; the server sends "
                        + c.peer.negotiator().sendTracks().stream().map(t -> t.streamId() + " " + t.kind()).toList()
                        + ", refused " + c.peer.negotiator().refusedTracks());
            }
            if (c.peer.negotiator().offerOutstanding()) {
                throw failure("a server offer to " + c + " is still outstanding after everything was delivered");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private void join(boolean publishing) {
        String family = random.nextInt(4) == 0 ? "firefox" : "chrome";
        Client c = new Client("u" + (nextUser++), browsers.apply(family, random));
        c.legacy = random.nextInt(10) == 0;
        clients.add(c);
        say(c + " joins (" + family + (c.legacy ? ", no addStream" : "") + (publishing ? ")" : ", receive only)"));
        joinAs(c, publishing);
    }

    private void joinAs(Client c, boolean publishing) {
        c.wantsToPublish = publishing;
        if (publishing) {
            c.stream = "s" + (nextStream++);
            c.pc.publish(c.stream);
        } else {
            c.pc.receiveOnly();
        }
        String sdp = offer(c);
        c.pendingRequest = MessageTypes.JOIN;
        c.pendingId = c.currentRequestId = "r" + (nextRequest++);
        try {
            c.peer = rooms.join(ROOM, c.user, c, false, true, sdp, null);
        } catch (RoomException e) {
            throw failure(c + " could not join: " + e.getMessage());
        } finally {
            c.currentRequestId = null;
        }
    }

    /** The same person reloads the page: a new tab with the same user takes the seat; the old one is replaced. */
    private void reload(Client old) {
        say(old + " reloads");
        Client c = new Client(old.user, browsers.apply(random.nextBoolean() ? "chrome" : "firefox", random));
        c.legacy = old.legacy;
        clients.add(c);
        joinAs(c, old.wantsToPublish);
        if (old.peer != null && !old.gone) {
            // The server replaced it (leave replaced is in its inbox); the tab is closed either way.
            old.gone = true;
            old.pc.close();
        } else {
            old.gone = true;
        }
    }

    private void leave(Client c) {
        c.gone = true;
        if (c.peer != null) {
            rooms.leave(c.peer, random.nextBoolean() ? "left" : "disconnected", null);
        }
        c.pc.close();
    }

    private void publish(Client c) {
        c.stream = "s" + (nextStream++);
        c.wantsToPublish = true;
        c.pc.publish(c.stream);
        say(c + " publishes " + c.stream);
        ownOffer(c, c.legacy ? MessageTypes.OFFER : MessageTypes.ADD_STREAM, c.stream);
    }

    private void unpublish(Client c) {
        String msid = c.stream;
        c.pc.unpublish();
        c.stream = null;
        c.wantsToPublish = false;
        say(c + " unpublishes " + msid);
        ownOffer(c, c.legacy ? MessageTypes.OFFER : MessageTypes.REMOVE_STREAM, msid);
    }

    /** The browser says it could not apply the next server offer in its inbox (as if Chrome had refused it). */
    private void failNextOffer(Client c) {
        for (Object[] m : c.inbox) {
            if (m[0].equals(MessageTypes.OFFER)) {
                c.inbox.remove(m);
                say(c + " reports a server offer it could not apply");
                call(c, () -> rooms.renegotiate(c.peer, "offer-failed", "simulated", null));
                return;
            }
        }
    }

    private void ownOffer(Client c, String type, String msid) {
        String sdp = offer(c);
        c.pendingRequest = type;
        c.pendingId = c.currentRequestId = "r" + (nextRequest++);
        say(c + " sends " + type);
        try {
            switch (type) {
                case MessageTypes.ADD_STREAM -> rooms.addStream(c.peer, msid, 1500, null, sdp);
                case MessageTypes.REMOVE_STREAM -> rooms.removeStream(c.peer, c.user, msid, sdp);
                default -> rooms.offer(c.peer, sdp);
            }
        } catch (RoomException e) {
            throw failure(c + "'s " + type + " was refused: " + e.getMessage());
        } finally {
            c.currentRequestId = null;
        }
    }

    private String offer(Client c) {
        try {
            return c.pc.createOffer();
        } catch (PeerConnectionSide.Refused e) {
            throw failure(c + " could not create an offer: " + e.getMessage());
        }
    }

    private void deliver(Client c) {
        Object[] m = c.inbox.poll();
        String type = (String) m[0];
        if (m[2] != null && m[2].equals(c.pendingId)) {
            if (type.equals(MessageTypes.STREAM_ADDED)) {
                return;
            }
            String request = c.pendingRequest;
            say(c + " gets " + type + " for its " + request);
            c.pendingRequest = null;
            c.pendingId = null;
            if (type.equals(MessageTypes.ERROR)) {
                c.pc.rollback();
                throw failure(c + "'s " + request + " got an error: " + m[1]);
            }
            try {
                c.pc.applyAnswer(((SdpData) m[1]).sdp());
            } catch (PeerConnectionSide.Refused e) {
                throw failure(c + " refused the server's answer to its " + request + ": " + e.getMessage());
            }
            if (request.equals(MessageTypes.JOIN) && c.stream != null && !c.legacy) {
                ownOffer(c, MessageTypes.ADD_STREAM, c.stream); // the web client publishes right after joined
            }
            return;
        }
        switch (type) {
            case MessageTypes.OFFER -> {
                if (c.pendingRequest != null) {
                    say(c + " ignores a server offer (its own " + c.pendingRequest + " is outstanding)");
                    return;
                }
                say(c + " applies a server offer");
                String answer;
                try {
                    answer = c.pc.applyOffer(((SdpData) m[1]).sdp());
                } catch (PeerConnectionSide.Refused e) {
                    throw failure(c + " refused the server's offer: " + e.getMessage() + "\n"
                            + ((SdpData) m[1]).sdp());
                }
                call(c, () -> rooms.answer(c.peer, answer));
            }
            case MessageTypes.LEAVE -> {
                say(c + " was told to leave: " + m[1]);
                c.gone = true;
                c.pc.close();
            }
            case MessageTypes.ERROR -> throw failure(c + " got an error: " + m[1]);
            default -> {
                // peerConnected, peerRemoved, configure, message: nothing to negotiate
            }
        }
    }

    /** Lets time pass: join tracks whose addStream never came are announced (no offer times out here). */
    private void tick() {
        for (Room room : rooms.rooms()) {
            room.checkOfferTimeouts(System.nanoTime() + 2 * Room.ANNOUNCE_GRACE_NANOS, Long.MAX_VALUE / 4);
        }
    }

    private interface RoomCall {
        void run() throws RoomException;
    }

    private void call(Client c, RoomCall call) {
        c.currentRequestId = "r" + (nextRequest++);
        try {
            call.run();
        } catch (RoomException e) {
            throw failure(c + ": " + e.getMessage());
        } finally {
            c.currentRequestId = null;
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void say(String line) {
        log.add(line);
    }

    private AssertionError failure(String what) {
        List<String> tail = log.subList(Math.max(0, log.size() - 60), log.size());
        return new AssertionError(what + "\n--- the last steps:\n" + String.join("\n", tail));
    }

    /** How many people took part in the run so far. */
    int people() {
        return clients.size();
    }
}
