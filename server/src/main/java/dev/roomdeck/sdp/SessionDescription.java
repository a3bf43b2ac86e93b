package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed SDP: the session-level lines and the m-sections, each kept verbatim and in order, so that
 * {@code parse(s).toString()} gives back every line of {@code s} (with CRLF endings and m-lines re-spaced).
 * Immutable.
 */
public final class SessionDescription {
    private final List<SdpLine> lines;
    private final List<MediaSection> media;

    public SessionDescription(List<SdpLine> sessionLines, List<MediaSection> media) {
        this.lines = List.copyOf(sessionLines);
        List<MediaSection> placed = new ArrayList<>(media.size());
        for (int i = 0; i < media.size(); i++) {
            placed.add(media.get(i).withIndex(i));
        }
        this.media = List.copyOf(placed);
    }

    /**
     * Parses an SDP. Checks the structure (every line is {@code <letter>=<value>}, it starts with v=0, m-lines are
     * well formed, no two m-sections share a mid); attributes are interpreted later by the typed readers.
     */
    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpException("the SDP is empty");
        }
        List<SdpLine> session = new ArrayList<>();
        List<MediaSection> media = new ArrayList<>();
        String[] mLine = null;
        int mLineNumber = 0;
        List<SdpLine> current = null;
        String[] raw = sdp.split("\r\n|\n|\r");
        int number = 0;
        for (String text : raw) {
            number++;
            if (text.isEmpty()) {
                continue;
            }
            if (text.length() < 2 || text.charAt(1) != '=' || !isTypeLetter(text.charAt(0))) {
                throw new SdpException("line " + number + " is not of the form <letter>=<value>: \""
                        + abbreviate(text) + "\"");
            }
            SdpLine line = new SdpLine(text.charAt(0), text.substring(2));
            if (session.isEmpty() && media.isEmpty() && current == null) {
                if (line.type() != 'v' || !line.value().trim().equals("0")) {
                    throw new SdpException("the SDP does not start with v=0 (line " + number + " is \""
                            + abbreviate(text) + "\")");
                }
            }
            if (line.type() == 'm') {
                if (current != null) {
                    media.add(section(media.size(), mLine, mLineNumber, current));
                }
                mLine = line.value().trim().split("\\s+");
                mLineNumber = number;
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(line);
            } else {
                session.add(line);
            }
        }
        if (current != null) {
            media.add(section(media.size(), mLine, mLineNumber, current));
        }
        if (session.isEmpty()) {
            throw new SdpException("the SDP does not start with v=0");
        }
        Set<String> mids = new HashSet<>();
        for (MediaSection m : media) {
            String mid = m.mid();
            if (mid != null && !mids.add(mid)) {
                throw new SdpException(m.label() + " repeats mid " + mid + " of an earlier m-section");
            }
        }
        return new SessionDescription(session, media);
    }

    private static MediaSection section(int index, String[] m, int lineNumber, List<SdpLine> lines)
            throws SdpException {
        if (m.length < 4) {
            throw new SdpException("the m-line on line " + lineNumber
                    + " needs media, port, protocol and at least one format");
        }
        String portText = m[1];
        int portCount = -1;
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            portCount = parseInt(portText.substring(slash + 1), 0, 65535, "port count", lineNumber);
            portText = portText.substring(0, slash);
        }
        int port = parseInt(portText, 0, 65535, "port", lineNumber);
        List<String> formats = List.of(m).subList(3, m.length);
        if (m[2].contains("RTP/")) {
            for (String f : formats) {
                parseInt(f, 0, 127, "payload type", lineNumber);
            }
        }
        return new MediaSection(index, m[0], port, portCount, m[2], formats, lines);
    }

    private static int parseInt(String text, int min, int max, String what, int lineNumber) throws SdpException {
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException("the m-line on line " + lineNumber + " has an invalid " + what + " \""
                + abbreviate(text) + "\"");
    }

    private static boolean isTypeLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Session-level lines (v=, o=, s=, t=, session attributes ...), in order. */
    public List<SdpLine> lines() {
        return lines;
    }

    public List<MediaSection> media() {
        return media;
    }

    /** The value of the first session-level attribute of that name (null when absent or a flag). */
    public String attribute(String name) {
        return SdpLine.firstAttribute(lines, name);
    }

    public List<String> attributes(String name) {
        return SdpLine.allAttributes(lines, name);
    }

    public boolean hasAttribute(String name) {
        return SdpLine.firstAttributeLine(lines, name) != null;
    }

    /** The mids of the first {@code a=group:BUNDLE}, or an empty list. */
    public List<String> bundleMids() {
        for (String group : attributes("group")) {
            String[] parts = group.trim().split("\\s+");
            if (parts.length > 0 && parts[0].equals("BUNDLE")) {
                return List.of(parts).subList(1, parts.length);
            }
        }
        return List.of();
    }

    /**
     * The value of an attribute for a section: the section's own, else the session-level one (ICE and DTLS
     * attributes may sit at either level).
     */
    public String attribute(MediaSection m, String name) {
        String v = m.attribute(name);
        return v != null ? v : attribute(name);
    }

    /** The SDP text, every line ended by CRLF. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(1024);
        for (SdpLine line : lines) {
            out.append(line.type()).append('=').append(line.value()).append("\r\n");
        }
        for (MediaSection m : media) {
            m.appendTo(out);
        }
        return out.toString();
    }
}
