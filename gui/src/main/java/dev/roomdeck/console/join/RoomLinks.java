package dev.roomdeck.console.join;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The links to one room, built on the console's join URLs as the web page builds its own: the room
 * ({@code ?room=NAME}), "I'm in this room" ({@code &inroom=1}, a laptop in the meeting room: no microphone and
 * no sound, so the room does not echo) and the room's display ({@code &display=1}, the big screen).
 */
public final class RoomLinks {
    private RoomLinks() {
    }

    /** The room's link for people elsewhere: the share URL with {@code ?room=NAME}. */
    public static String room(JoinInfo join, String room) {
        return withRoom(join.shareUrl(), room);
    }

    /** "I'm in this room": for laptops and phones in the meeting room itself. */
    public static String inRoom(JoinInfo join, String room) {
        return withRoom(join.shareUrl(), room) + "&inroom=1";
    }

    /**
     * The room's display, opened on this PC: over plain HTTP on localhost when the server listens there
     * (localhost is a secure context, so camera and microphone work, and there is no certificate question),
     * else over the share URL.
     */
    public static String display(JoinInfo join, String room) {
        String base = isLoopback(join.localUrl()) ? join.localUrl() : join.shareUrl();
        return withRoom(base, room) + "&display=1";
    }

    static boolean isLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withRoom(String base, String room) {
        String b = base.endsWith("/") ? base : base + "/";
        return b + "?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
