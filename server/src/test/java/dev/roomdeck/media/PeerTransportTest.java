package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** SFU transport on the shared port against the Java client transport, over real UDP on 127.0.0.1. */
class PeerTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private MediaEndpoint endpoint;
    private final List<ClientTransport> clients = new ArrayList<>();

    /** Both ends of one connected peer. */
    record Link(PeerTransport server, Recorder atServer, ClientTransport client, Recorder atClient, long handshakeMillis) {
    }

    @BeforeEach
    void openPort() {
        endpoint = MediaEndpoint.open(List.of(LOOPBACK), 0, null, SERVER_CERT);
    }

    @AfterEach
    void closeAll() {
        clients.forEach(ClientTransport::close);
        endpoint.close();
    }

    @Test
    void connectsAndCarriesRtpAndRtcpBothWaysBitExact() throws Exception {
        Link link = connect("alice", sharedPort(), false);

        assertThat(link.server().srtpProfile()).isEqualTo("SRTP_AES128_CM_HMAC_SHA1_80");
        assertThat(link.client().srtpProfile()).isEqualTo("SRTP_AES128_CM_HMAC_SHA1_80");
        assertThat(link.client().selectedRemote()).isEqualTo(sharedPort());
        assertThat(link.server().selectedRemote()).isEqualTo(link.client().selectedLocal());
        assertThat(link.server().selectedLocal()).isEqualTo(sharedPort());

        for (int seq = 1; seq <= 10; seq++) {
            byte[] packet = Packets.rtp(0x1111_0001, seq, 100 + seq);
            byte[] original = packet.clone();
            link.client().sendRtp(packet, 0, packet.length);
            assertThat(packet).as("caller's bytes stay untouched").isEqualTo(original);
            assertThat(link.atServer().nextRtp()).isEqualTo(original);
        }
        for (int seq = 1; seq <= 10; seq++) {
            byte[] packet = Packets.rtp(0x2222_0001, seq, 1000);
            byte[] framed = new byte[packet.length + 7]; // offset and trailing bytes in the caller's buffer
            System.arraycopy(packet, 0, framed, 5, packet.length);
            link.server().sendRtp(framed, 5, packet.length);
            assertThat(link.atClient().nextRtp()).isEqualTo(packet);
        }
        byte[] clientReport = Packets.senderReport(0x1111_0001, 10);
        link.client().sendRtcp(clientReport, 0, clientReport.length);
        assertThat(link.atServer().nextRtcp()).isEqualTo(clientReport);
        byte[] serverReport = Packets.senderReport(0x2222_0001, 10);
        link.server().sendRtcp(serverReport, 0, serverReport.length);
        assertThat(link.atClient().nextRtcp()).isEqualTo(serverReport);

        PacketSnapshot atServer = link.server().counters();
        assertThat(atServer.rtpReceived()).isEqualTo(10);
        assertThat(atServer.rtcpReceived()).isEqualTo(1);
        assertThat(atServer.rtpSent()).isEqualTo(10);
        assertThat(atServer.rtcpSent()).isEqualTo(1);
        assertThat(atServer.drops()).isEmpty();
        assertThat(link.client().counters().rtpReceived()).isEqualTo(10);
        assertThat(endpoint.counters().rtpReceived()).isEqualTo(10);
    }

    /**
     * The PC's address changes while someone is connected through the old one (a room display on this PC that
     * joined over loopback before the PC had a LAN address): the old address is no longer announced, but its
     * sockets stay until that peer is gone, so its media goes on.
     */
    @Test
    void aPeerOnAnAddressThatIsNoLongerAnnouncedKeepsItsMediaUntilItLeaves() throws Exception {
        Link link = connect("display", sharedPort(), false);
        InetAddress lan = InetAddress.getByName("127.0.0.2");
        assertThat(endpoint.useAddresses(List.of(lan))).isTrue();
        assertThat(endpoint.hostAddresses()).containsExactly(lan);
        assertThat(endpoint.createTransport("newcomer").localCandidates()).noneMatch(c -> c.contains(" 127.0.0.1 "));

        byte[] packet = Packets.rtp(0x3333_0001, 1, 100);
        link.client().sendRtp(packet, 0, packet.length);
        assertThat(link.atServer().nextRtp()).isEqualTo(packet);
        link.server().sendRtp(packet, 0, packet.length);
        assertThat(link.atClient().nextRtp()).isEqualTo(packet);

        assertThatThrownBy(() -> new DatagramSocket(sharedPort()).close()).as("still bound for the display")
                .isInstanceOf(java.net.SocketException.class);
        link.server().close();
        // Gone with its last peer: the old address's port can be bound again.
        assertThat(MediaEndpointTest.rebindable(sharedPort())).isTrue();
    }

    @Test
    void serverCanBeTheDtlsClientWhenTheRemoteOffered() throws Exception {
        Link link = connect("erin", sharedPort(), true);

        byte[] packet = Packets.rtp(0x3333_0001, 7, 200);
        link.server().sendRtp(packet, 0, packet.length);
        assertThat(link.atClient().nextRtp()).isEqualTo(packet);
        link.client().sendRtp(packet, 0, packet.length);
        assertThat(link.atServer().nextRtp()).isEqualTo(packet);
    }

    /**
     * The SFU finishes the handshake first (it sends the last flight). If that flight is lost, the client
     * retransmits its own, and the SFU, already READY, must answer from its receive loop.
     */
    @Test
    void aLostFinalDtlsFlightIsRepairedAfterTheSfuIsReady() throws Exception {
        try (UdpRelay relay = new UdpRelay(sharedPort())) {
            relay.loseServerDtls(20, 2); // change_cipher_spec and Finished travel as two datagrams
            Link link = connect("nina", relay.address(), false);
            assertThat(relay.dropped()).isEqualTo(2);
            assertThat(link.handshakeMillis()).as("waited for the client's retransmission timer")
                    .isGreaterThanOrEqualTo(900);
            byte[] packet = Packets.rtp(0x4E, 1, 80);
            link.server().sendRtp(packet, 0, packet.length);
            assertThat(link.atClient().nextRtp()).isEqualTo(packet);
        }
    }

    @Test
    void sendingFromManyThreadsAtOnceIsSafe() throws Exception {
        Link link = connect("olga", sharedPort(), false);
        int threads = 4;
        int perThread = 100;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int ssrc = 0x0100 + t;
            senders.add(new Thread(() -> {
                for (int seq = 1; seq <= perThread; seq++) {
                    byte[] packet = Packets.rtp(ssrc, seq, 300);
                    link.server().sendRtp(packet, 0, packet.length);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join();
        }
        java.util.Set<String> got = new java.util.HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            byte[] packet = link.atClient().nextRtp();
            assertThat(packet).as("packet " + i).isNotNull();
            int ssrc = java.nio.ByteBuffer.wrap(packet).getInt(8);
            int seq = java.nio.ByteBuffer.wrap(packet).getShort(2) & 0xffff;
            assertThat(packet).isEqualTo(Packets.rtp(ssrc, seq, 300));
            got.add(ssrc + "/" + seq);
        }
        assertThat(got).hasSize(threads * perThread);
        assertThat(link.client().counters().drops()).isEmpty();
    }

    @Test
    void worksOverIpv6Loopback() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (MediaEndpoint v6Port = MediaEndpoint.open(List.of(v6), 0, null, SERVER_CERT)) {
            PeerTransport server = v6Port.createTransport("quinn");
            ClientTransport client = ClientTransport.open(v6, CLIENT_CERT, "quinn-client");
            clients.add(client);
            assertThat(server.localCandidates().get(0)).endsWith(" 0:0:0:0:0:0:0:1 " + v6Port.port() + " typ host");
            Recorder atServer = new Recorder();
            server.start(paramsOf(client, CLIENT_CERT, "active", List.of()), atServer);
            client.start(paramsOf(server, SERVER_CERT, "passive", List.of(new InetSocketAddress(v6, v6Port.port()))),
                    new Recorder());
            awaitReady(server, client);
            byte[] packet = Packets.rtp(0x66, 1, 100);
            client.sendRtp(packet, 0, packet.length);
            assertThat(atServer.nextRtp()).isEqualTo(packet);
        }
    }

    @Test
    void twoClientsShareThePortAndEachGetsOnlyItsOwnPackets() throws Exception {
        Link alice = connect("alice", sharedPort(), false);
        Link bob = connect("bob", sharedPort(), false);
        assertThat(endpoint.transportCount()).isEqualTo(2);
        assertThat(alice.server().selectedLocal()).isEqualTo(bob.server().selectedLocal());

        byte[] fromAlice = Packets.rtp(0xA1, 1, 50);
        byte[] fromBob = Packets.rtp(0xB0B, 1, 60);
        alice.client().sendRtp(fromAlice, 0, fromAlice.length);
        bob.client().sendRtp(fromBob, 0, fromBob.length);
        assertThat(alice.atServer().nextRtp()).isEqualTo(fromAlice);
        assertThat(bob.atServer().nextRtp()).isEqualTo(fromBob);

        byte[] toAlice = Packets.rtp(0x5F0A1, 1, 70);
        byte[] toBob = Packets.rtp(0x5F0B0, 1, 80);
        alice.server().sendRtp(toAlice, 0, toAlice.length);
        bob.server().sendRtp(toBob, 0, toBob.length);
        assertThat(alice.atClient().nextRtp()).isEqualTo(toAlice);
        assertThat(bob.atClient().nextRtp()).isEqualTo(toBob);

        assertThat(alice.atServer().rtp.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(bob.atServer().rtp.poll(0, TimeUnit.MILLISECONDS)).isNull();
        assertThat(alice.atClient().rtp.poll(0, TimeUnit.MILLISECONDS)).isNull();
        assertThat(bob.atClient().rtp.poll(0, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void certificateNotMatchingTheSdpFingerprintFailsAndClosesWithoutMedia() throws Exception {
        PeerTransport server = endpoint.createTransport("mallory");
        ClientTransport client = client("mallory");
        List<TransportState> seen = Collections.synchronizedList(new ArrayList<>());
        server.addStateListener(seen::add);
        Recorder atServer = new Recorder();
        Recorder atClient = new Recorder();
        String someoneElse = DtlsCertificate.generate().fingerprint();

        server.start(new RemoteParameters(client.localUfrag(), client.localPwd(), "sha-256", someoneElse, "active",
                List.of()), atServer);
        client.start(paramsOf(server, SERVER_CERT, "passive", List.of(sharedPort())), atClient);

        awaitTrue(() -> server.state() == TransportState.CLOSED && client.state() == TransportState.CLOSED,
                "both sides closed");
        assertThat(server.failureReason()).isEqualTo("dtls-fingerprint");
        assertThat(client.failureReason()).isEqualTo("dtls-handshake"); // it got our bad_certificate alert
        assertThat(seen).containsExactly(TransportState.CHECKING, TransportState.CONNECTED,
                TransportState.DTLS_HANDSHAKE, TransportState.FAILED, TransportState.CLOSED);
        assertThat(server.counters().drops(DropReason.DTLS_FINGERPRINT)).isEqualTo(1);
        assertThat(server.srtpProfile()).isNull();
        assertThat(endpoint.transportCount()).isZero();

        byte[] packet = Packets.rtp(1, 1, 10);
        client.sendRtp(packet, 0, packet.length);
        server.sendRtp(packet, 0, packet.length);
        assertThat(client.counters().drops(DropReason.BEFORE_READY)).isEqualTo(1);
        assertThat(atServer.rtp.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(atClient.rtp).isEmpty();
    }

    @Test
    void replayedForgedAndGarbagePacketsAreDroppedCountedAndHarmless() throws Exception {
        try (UdpRelay relay = new UdpRelay(sharedPort())) {
            Link link = connect("carol", relay.address(), false);
            byte[] first = Packets.rtp(0xC0C0, 1, 120);
            link.client().sendRtp(first, 0, first.length);
            assertThat(link.atServer().nextRtp()).isEqualTo(first);
            awaitTrue(() -> relay.lastClientRtp() != null, "relay saw the SRTP packet");
            byte[] srtp = relay.lastClientRtp();

            relay.injectToServer(srtp); // exact replay
            byte[] forged = srtp.clone();
            forged[3] ^= 0x40; // new sequence number, so it passes the replay window and must fail authentication
            relay.injectToServer(forged);
            relay.injectToServer("definitely not media".getBytes()); // from the peer's own address
            relay.injectToServer(new byte[] {(byte) 0x80}); // RTP first byte, too short to demultiplex

            byte[] second = Packets.rtp(0xC0C0, 2, 120);
            link.client().sendRtp(second, 0, second.length);
            assertThat(link.atServer().nextRtp()).isEqualTo(second);

            awaitTrue(() -> link.server().counters().dropTotal() == 4, "four drops counted");
            PacketSnapshot counters = link.server().counters();
            assertThat(counters.drops(DropReason.SRTP_REPLAY)).isEqualTo(1);
            assertThat(counters.drops(DropReason.SRTP_AUTH)).isEqualTo(1);
            assertThat(counters.drops(DropReason.NOT_RTP)).isEqualTo(2);
            assertThat(counters.rtpReceived()).isEqualTo(2);
            assertThat(link.atServer().rtp).isEmpty();
            assertThat(endpoint.counters().drops(DropReason.SRTP_AUTH)).isEqualTo(1);
            assertThat(link.server().state()).isEqualTo(TransportState.READY);
        }
    }

    @Test
    void garbageFromStrangersToTheSharedPortChangesNothing() throws Exception {
        Link link = connect("dan", sharedPort(), false);
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            send(stranger, "hello?".getBytes());
            send(stranger, Packets.rtp(0xBAD, 1, 40));
            send(stranger, StunMessages.bindingRequest("nosuchufrag:peer"));
        }
        awaitTrue(() -> endpoint.counters().drops(DropReason.UNKNOWN_UFRAG) == 1, "unknown ufrag counted");

        byte[] packet = Packets.rtp(0xD0D0, 1, 99);
        link.client().sendRtp(packet, 0, packet.length);
        assertThat(link.atServer().nextRtp()).isEqualTo(packet);
        assertThat(link.server().counters().drops()).isEmpty();
        assertThat(link.server().state()).isEqualTo(TransportState.READY);
    }

    @Test
    void aThrowingReceiverLosesThatPacketOnly() throws Exception {
        Recorder kept = new Recorder();
        PacketReceiver clumsy = new PacketReceiver() {
            boolean thrown;

            @Override
            public void onRtp(byte[] buf, int off, int len) {
                if (!thrown) {
                    thrown = true;
                    throw new IllegalStateException("test: receiver bug");
                }
                kept.onRtp(buf, off, len);
            }

            @Override
            public void onRtcp(byte[] buf, int off, int len) {
            }
        };
        PeerTransport server = endpoint.createTransport("frank");
        ClientTransport client = client("frank");
        server.start(paramsOf(client, CLIENT_CERT, "active", List.of()), clumsy);
        client.start(paramsOf(server, SERVER_CERT, "passive", List.of(sharedPort())), new Recorder());
        awaitReady(server, client);

        for (int seq = 1; seq <= 2; seq++) {
            byte[] packet = Packets.rtp(0xF, seq, 30);
            client.sendRtp(packet, 0, packet.length);
        }
        assertThat(kept.nextRtp()).isEqualTo(Packets.rtp(0xF, 2, 30));
        assertThat(server.counters().drops(DropReason.RECEIVER_ERROR)).isEqualTo(1);
    }

    @Test
    void mediaBeforeReadyIsCountedAndStartingTwiceIsRefused() {
        PeerTransport server = endpoint.createTransport("gina");
        byte[] packet = Packets.rtp(1, 1, 10);
        server.sendRtp(packet, 0, packet.length);
        server.sendRtcp(Packets.senderReport(1, 1), 0, 28);
        assertThat(server.counters().drops(DropReason.BEFORE_READY)).isEqualTo(2);
        assertThat(server.state()).isEqualTo(TransportState.NEW);
        assertThat(server.selectedRemote()).isNull();

        RemoteParameters nobody = new RemoteParameters("abcd", "0123456789012345678901", "sha-256",
                CLIENT_CERT.fingerprint(), "active", List.of());
        server.start(nobody, new Recorder());
        assertThatThrownBy(() -> server.start(nobody, new Recorder())).isInstanceOf(IllegalStateException.class);
    }

    /**
     * The SFU side does not time out by itself (the media timer decides, with the operator's timeout): a peer that
     * never checks stays CHECKING with nothing seen, well past a second, until closed.
     */
    @Test
    void aPeerThatNeverChecksWaitsForTheMediaTimerAndLeavesThePortWhenClosed() throws Exception {
        PeerTransport server = endpoint.createTransport("ghost");
        server.start(new RemoteParameters("abcd", "0123456789012345678901", "sha-256", CLIENT_CERT.fingerprint(),
                "active", List.of()), new Recorder());
        Thread.sleep(1500);
        assertThat(server.state()).isEqualTo(TransportState.CHECKING);
        assertThat(server.path()).isEqualTo(new IcePath(null, null, null, null, -1, false, false, null));
        server.close();
        assertThat(server.state()).isEqualTo(TransportState.CLOSED);
        assertThat(endpoint.transportCount()).isZero();
        assertThat(threadNames()).as("no thread waits for its ICE").doesNotContain("transport-ghost");
    }

    @Test
    void closeLeavesThePortStopsThreadsAndTellsThePeer() throws Exception {
        long iceThreadsBefore = perTransportIceThreads();
        long mergingReadersBefore = threadNames().stream().filter(n -> n.startsWith("MergingDatagramSocket")).count();
        Link henry = connect("henry", sharedPort(), false);
        Link iris = connect("iris", sharedPort(), false);
        assertThat(threadNames()).as("no thread per transport: set-up runs on the shared pool")
                .doesNotContain("transport-henry", "transport-iris");
        assertThat(perTransportIceThreads()).as("ice4j's STUN connector of each of two open SFU transports")
                .isGreaterThanOrEqualTo(iceThreadsBefore + 2);
        assertThat(threadNames().stream().filter(n -> n.startsWith("MergingDatagramSocket")).count())
                .as("no component-socket reader per transport (media is pushed)").isEqualTo(mergingReadersBefore);
        assertThat(endpoint.transportCount()).isEqualTo(2);

        henry.server().close();
        henry.server().close(); // idempotent
        assertThat(henry.server().state()).isEqualTo(TransportState.CLOSED);
        assertThat(endpoint.transportCount()).isEqualTo(1);
        // our close_notify ends the peer's transport at once, not after consent expiry
        awaitTrue(() -> henry.client().state() == TransportState.CLOSED, "henry's client saw close_notify");
        assertThat(henry.client().failureReason()).isNull();

        iris.client().close(); // the peer leaves first: the SFU side follows by itself
        awaitTrue(() -> iris.server().state() == TransportState.CLOSED, "SFU side saw the client's close_notify");
        assertThat(endpoint.transportCount()).isZero();
        awaitTrue(() -> threadNames().stream().noneMatch(n -> n.startsWith("transport-henry")
                || n.startsWith("transport-iris")), "transport threads gone");
        awaitTrue(() -> perTransportIceThreads() <= iceThreadsBefore, "ice4j's per-transport threads gone");

        byte[] packet = Packets.rtp(1, 1, 10);
        henry.server().sendRtp(packet, 0, packet.length);
        assertThat(henry.server().counters().drops(DropReason.BEFORE_READY)).isEqualTo(1);
    }

    /**
     * A peer that vanishes without a word (no close_notify, no ICE): the SFU side reports the silence (its last
     * sign of life stops moving) and stays up for the media timer to judge; the client side, which has no media
     * timer, fails on its own consent timeout.
     */
    @Test
    void aSilentlyVanishedPeerIsReportedNotJudgedBySfuSide() throws Exception {
        try (UdpRelay relay = new UdpRelay(sharedPort())) {
            Link link = connect("jack", relay.address(), false);
            link.client().consentTimeoutMillis = 1500;
            relay.cut();
            long lastHeard = link.server().lastReceivedNanos();
            awaitTrue(() -> link.client().state() == TransportState.CLOSED, "the client's consent lost");
            assertThat(link.client().failureReason()).isEqualTo("ice-consent-lost");
            Thread.sleep(1000);
            assertThat(link.server().state()).isEqualTo(TransportState.READY);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - link.server().lastReceivedNanos()))
                    .as("silence the SFU side reports").isGreaterThan(2000);
            assertThat(link.server().lastReceivedNanos()).isLessThanOrEqualTo(lastHeard + 100_000_000L);
        }
    }

    /**
     * Without media, ICE consent checks alone keep {@code lastReceivedNanos} fresh and the transports up (both
     * sides check every 5 s). Slow (~40 s): run with -Droomdeck.slowTests=true.
     */
    @Test
    @EnabledIfSystemProperty(named = "roomdeck.slowTests", matches = "true")
    void consentChecksAloneKeepAQuietPeerAlive() throws Exception {
        Link link = connect("luke", sharedPort(), false);
        long worst = 0;
        for (int second = 0; second < 40; second++) {
            Thread.sleep(1000);
            worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - link.server().lastReceivedNanos()));
        }
        System.out.printf("no media for 40 s: longest silence seen at the SFU %d ms%n", worst);
        assertThat(worst).isLessThan(ClientTransport.CONSENT_TIMEOUT_MILLIS / 2);
        assertThat(link.server().state()).isEqualTo(TransportState.READY);
        assertThat(link.client().state()).isEqualTo(TransportState.READY);
    }

    /** Handshake time spread over many sequential peers, printed for the report. Slow-ish. */
    @Test
    @EnabledIfSystemProperty(named = "roomdeck.slowTests", matches = "true")
    void handshakeTimesOverManyPeers() throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Link link = connect("peer" + i, sharedPort(), i % 2 == 1);
            times.add(link.handshakeMillis());
            link.client().close();
        }
        Collections.sort(times);
        System.out.printf("ICE+DTLS over %d peers: min %d ms, median %d ms, max %d ms%n", times.size(),
                times.get(0), times.get(times.size() / 2), times.get(times.size() - 1));
        awaitTrue(() -> endpoint.transportCount() == 0, "all SFU transports followed their clients");
    }

    /** Rough packet rate through one transport on loopback (both ends in this JVM, 2 cores), printed. */
    @Test
    @EnabledIfSystemProperty(named = "roomdeck.slowTests", matches = "true")
    void packetRateThroughOneTransport() throws Exception {
        Link link = connect("pablo", sharedPort(), false);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        int count = 20_000;
        byte[][] packets = new byte[count][];
        for (int i = 0; i < count; i++) {
            packets[i] = Packets.rtp(0x9, i + 1, 1000);
        }
        link.atServer().rtp.clear();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            link.client().sendRtp(packets[i], 0, packets[i].length);
            if (i % 10 == 9) {
                java.util.concurrent.locks.LockSupport.parkNanos(500_000); // bursts of 10, like a video frame
            }
        }
        long sent = System.nanoTime();
        long previous = -1;
        while (link.server().counters().rtpReceived() != previous) { // until nothing more trickles in
            previous = link.server().counters().rtpReceived();
            Thread.sleep(200);
        }
        System.out.printf("%d RTP packets of 1012 bytes sent in %d ms (%.0f/s): %d received, drops %s%n", count,
                TimeUnit.NANOSECONDS.toMillis(sent - start), count / ((sent - start) / 1e9), previous,
                link.server().counters().drops());
        assertThat(link.server().counters().drops()).isEmpty();
        assertThat(previous).isGreaterThan(count * 9L / 10);
    }

    @Test
    void lastReceivedMovesWithTraffic() throws Exception {
        Link link = connect("kate", sharedPort(), false);
        long before = link.server().lastReceivedNanos();
        Thread.sleep(20);
        byte[] packet = Packets.rtp(0xE, 1, 10);
        link.client().sendRtp(packet, 0, packet.length);
        link.atServer().nextRtp();
        assertThat(link.server().lastReceivedNanos()).isGreaterThan(before);
    }

    // ---- helpers ----

    private InetSocketAddress sharedPort() {
        return new InetSocketAddress(LOOPBACK, endpoint.port());
    }

    private ClientTransport client(String name) {
        ClientTransport client = ClientTransport.open(LOOPBACK, CLIENT_CERT, name + "-client");
        clients.add(client);
        return client;
    }

    /**
     * Creates and starts both ends; returns when both are READY. Normally the SFU answers as DTLS server (the
     * client says "active"); with {@code sfuIsDtlsClient} the SFU sees "actpass" and the client is told "active".
     */
    private Link connect(String name, InetSocketAddress clientTarget, boolean sfuIsDtlsClient) throws Exception {
        PeerTransport server = endpoint.createTransport(name);
        ClientTransport client = client(name);
        assertThat(server.localCandidates()).hasSize(2);
        assertThat(server.localCandidates().get(0)).isEqualTo(server.localCandidates().get(0).split(" ")[0]
                + " 1 udp 2130706431 127.0.0.1 " + endpoint.port() + " typ host");
        assertThat(server.localCandidates().get(1)).endsWith(" 1 tcp 1526726655 127.0.0.1 " + endpoint.port()
                + " typ host tcptype passive");
        Recorder atServer = new Recorder();
        Recorder atClient = new Recorder();
        long started = System.nanoTime();
        server.start(paramsOf(client, CLIENT_CERT, sfuIsDtlsClient ? "actpass" : "active", List.of()), atServer);
        client.start(paramsOf(server, SERVER_CERT, sfuIsDtlsClient ? "active" : "passive", List.of(clientTarget)),
                atClient);
        awaitReady(server, client);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("ICE+DTLS handshake on loopback (%s): %d ms%n", name, millis);
        return new Link(server, atServer, client, atClient, millis);
    }

    private static RemoteParameters paramsOf(PeerTransport other, DtlsCertificate cert, String setup,
                                             List<InetSocketAddress> candidates) {
        return paramsOf(other.localUfrag(), other.localPwd(), cert, setup, candidates);
    }

    private static RemoteParameters paramsOf(ClientTransport other, DtlsCertificate cert, String setup,
                                             List<InetSocketAddress> candidates) {
        return paramsOf(other.localUfrag(), other.localPwd(), cert, setup, candidates);
    }

    private static RemoteParameters paramsOf(String ufrag, String pwd, DtlsCertificate cert, String setup,
                                             List<InetSocketAddress> candidates) {
        return new RemoteParameters(ufrag, pwd, cert.fingerprintAlgorithm(), cert.fingerprint(), setup, candidates);
    }

    private static void awaitReady(PeerTransport a, ClientTransport b) throws InterruptedException {
        awaitTrue(() -> a.state() == TransportState.READY && b.state() == TransportState.READY
                        || a.state().isFinal() || b.state().isFinal(), READY_TIMEOUT, "both READY");
        assertThat(a.state()).as(a.name() + " (" + a.failureReason() + ")").isEqualTo(TransportState.READY);
        assertThat(b.state()).as(b.name() + " (" + b.failureReason() + ")").isEqualTo(TransportState.READY);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, Duration.ofSeconds(10), what);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private void send(DatagramSocket socket, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, sharedPort()));
    }

    /**
     * ice4j starts a STUN connector per transport (besides its shared pools), and a merging-socket reader for a
     * component socket, which the SFU's transports do without.
     */
    private static long perTransportIceThreads() {
        return threadNames().stream()
                .filter(n -> n.startsWith("IceConnector") || n.startsWith("MergingDatagramSocket reader")).count();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }
}
