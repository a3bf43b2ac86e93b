package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.remoteAudio;
import static dev.roomdeck.sdp.Fixtures.remoteVideo;
import static dev.roomdeck.sdp.Fixtures.sdp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Real SDPs with lines dropped, repeated, swapped, cut or garbled: the API either succeeds or throws
 * {@link SdpException} for the input itself, never a runtime exception (which it would report as "internal
 * error") and never an SDP it cannot read back.
 */
class MangledSdpTest {
    private static final String[] OFFERS = {Fixtures.CHROMIUM_SENDRECV, Fixtures.CHROMIUM_SENDONLY,
            Fixtures.CHROMIUM_RECVONLY, Fixtures.CHROMIUM_SIMULCAST, Fixtures.CHROMIUM_REOFFER,
            Fixtures.PLANB_OFFER, Fixtures.PLANB_TWO_VIDEO};
    private static final String NOISE = "0123456789:/ =;-*abcxyzAZ\t";
    private static final String[] NUMBERS = {"-1", "0", "128", "65536", "4294967296", "99999999999999999999",
            "x", "", " "};

    /** -Droomdeck.sdp.mangle.rounds=N -Droomdeck.sdp.mangle.seed=S for a longer hunt than the default. */
    private static final int ROUNDS = Integer.getInteger("roomdeck.sdp.mangle.rounds", 1500);
    private final Random random = new Random(Long.getLong("roomdeck.sdp.mangle.seed", 20261126L));
    private int accepted;
    private int refused;

    @Test
    void mangledClientOffersAreAnsweredOrRefused() throws SdpException {
        for (int i = 0; i < ROUNDS; i++) {
            String source = OFFERS[random.nextInt(OFFERS.length)];
            String mangled = mangle(sdp(source));
            boolean planB = source.startsWith("planb");
            check(mangled, () -> {
                SessionDescription sd = SessionDescription.parse(mangled);
                PeerNegotiator.looksPlanB(sd);
                readEverything(sd);
            });
            PeerNegotiator peer = new PeerNegotiator(planB, Fixtures.SERVER, java.util.Map.of("x", 100),
                    new PeerNegotiator.Options(random.nextBoolean(), random.nextBoolean()));
            check(mangled, () -> {
                PeerNegotiator.Answer answer = peer.answerOffer(mangled);
                SdpAssert.bundleConsistent(answer.sdp());
                String offer = peer.createOffer(List.of(remoteAudio("a", "a1", 1), remoteVideo("a", "a2", 2, 3)));
                peer.applyAnswer(FakeClient.answering(offer).sdp());
                SdpAssert.bundleConsistent(offer);
            });
        }
        assertThat(accepted).as("mangled offers that were still usable").isGreaterThan(ROUNDS / 10);
        assertThat(refused).as("mangled offers that were refused").isGreaterThan(ROUNDS / 10);
    }

    @Test
    void mangledAnswersAndReoffersLeaveTheAgreedStateUsable() throws SdpException {
        for (int i = 0; i < ROUNDS / 2; i++) {
            PeerNegotiator peer = Fixtures.unified();
            peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
            peer.createOffer(List.of(remoteAudio("alice", "alice-mic", 1111),
                    remoteVideo("alice", "alice-cam", 2222, 2223)));
            String mangledAnswer = mangle(sdp(Fixtures.CHROMIUM_ANSWER));
            check(mangledAnswer, () -> peer.applyAnswer(mangledAnswer));
            if (peer.offerOutstanding()) {
                peer.applyAnswer(sdp(Fixtures.CHROMIUM_ANSWER));
            }
            String mangledReoffer = mangle(sdp(Fixtures.CHROMIUM_REOFFER));
            check(mangledReoffer, () -> SdpAssert.bundleConsistent(peer.answerOffer(mangledReoffer).sdp()));
            // Whatever happened, the peer still negotiates.
            SdpAssert.bundleConsistent(peer.createOffer(List.of(remoteAudio("bob", "bob-mic", 5))));
        }
        assertThat(accepted).isGreaterThan(ROUNDS / 10);
        assertThat(refused).isGreaterThan(ROUNDS / 10);
    }

    private interface Step {
        void run() throws SdpException;
    }

    private void check(String sdp, Step step) {
        try {
            step.run();
            accepted++;
        } catch (SdpException e) {
            refused++;
            if (e.getCause() instanceof RuntimeException || e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("no clear refusal for:\n" + sdp, e);
            }
        } catch (RuntimeException e) {
            throw new AssertionError("runtime exception for:\n" + sdp, e);
        }
    }

    private static void readEverything(SessionDescription sd) {
        for (MediaSection m : sd.media()) {
            m.mid();
            m.direction();
            m.msid();
            m.rids("send");
            for (Step reader : List.<Step>of(m::codecs, m::extensions, m::sources, m::ssrcGroups)) {
                try {
                    reader.run();
                } catch (SdpException expected) {
                    // malformed lines are allowed to be reported
                }
            }
        }
        sd.bundleMids();
    }

    private String mangle(String sdp) {
        List<String> lines = new ArrayList<>(List.of(sdp.split("\r?\n")));
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes && !lines.isEmpty(); c++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(7)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
                case 3 -> {
                    int other = random.nextInt(lines.size());
                    lines.set(at, lines.get(other));
                    lines.set(other, line);
                }
                case 4 -> {
                    char[] chars = line.toCharArray();
                    if (chars.length > 0) {
                        chars[random.nextInt(chars.length)] = NOISE.charAt(random.nextInt(NOISE.length()));
                    }
                    lines.set(at, new String(chars));
                }
                case 5 -> lines.set(at, line.replaceFirst("\\d+", NUMBERS[random.nextInt(NUMBERS.length)]));
                default -> {
                    String[] words = line.split(" ");
                    lines.set(at, String.join(" ", java.util.Arrays.copyOf(words, random.nextInt(words.length + 1)))
                            + (random.nextBoolean() ? " " : ""));
                }
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }
}
