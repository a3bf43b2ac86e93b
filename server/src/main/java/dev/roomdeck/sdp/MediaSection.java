package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One m-section: the fields of its m-line and every line after it, verbatim and in order. The typed readers
 * ({@link #codecs()}, {@link #extensions()}, {@link #sources()} ...) interpret those lines on demand and report
 * malformed ones as {@link SdpException}.
 */
public final class MediaSection {
    private final int index;
    private final String kind;
    private final int port;
    private final int portCount;
    private final String proto;
    private final List<String> formats;
    private final List<SdpLine> lines;

    MediaSection(int index, String kind, int port, int portCount, String proto, List<String> formats,
                 List<SdpLine> lines) {
        this.index = index;
        this.kind = kind;
        this.port = port;
        this.portCount = portCount;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.lines = List.copyOf(lines);
    }

    public static Builder builder(String kind, int port, String proto, List<String> formats) {
        return new Builder(kind, port, proto, formats);
    }

    MediaSection withIndex(int newIndex) {
        return newIndex == index ? this : new MediaSection(newIndex, kind, port, portCount, proto, formats, lines);
    }

    /** Position in its session description, from 0; -1 for a section not yet placed in one. */
    public int index() {
        return index;
    }

    /** The media token of the m-line as written: "audio", "video", "application", ... */
    public String kind() {
        return kind;
    }

    /** The kind as a {@link MediaKind}, or null for media the SFU does not carry. */
    public MediaKind mediaKind() {
        return MediaKind.fromSdp(kind);
    }

    /** The m-line port; 0 means the section is rejected (or bundle-only). */
    public int port() {
        return port;
    }

    /** The number after "port/" on the m-line, or -1 when absent (as nearly always). */
    public int portCount() {
        return portCount;
    }

    public String proto() {
        return proto;
    }

    /** The format tokens of the m-line: payload type numbers for RTP, e.g. "webrtc-datachannel" for SCTP. */
    public List<String> formats() {
        return formats;
    }

    /** Every line after the m-line, in order. */
    public List<SdpLine> lines() {
        return lines;
    }

    public boolean isRtp() {
        return proto.contains("RTP/");
    }

    public boolean isRejected() {
        return port == 0;
    }

    public String mid() {
        return attribute("mid");
    }

    /** The last direction attribute; sendrecv when there is none (RFC 4566). */
    public Direction direction() {
        Direction result = Direction.SENDRECV;
        for (SdpLine line : lines) {
            if (line.isAttribute()) {
                Direction d = Direction.fromSdp(line.value());
                if (d != null) {
                    result = d;
                }
            }
        }
        return result;
    }

    /** The value of the first attribute of that name (null when absent or a flag). */
    public String attribute(String name) {
        return SdpLine.firstAttribute(lines, name);
    }

    /** The values of every attribute of that name, in order (flags give empty strings). */
    public List<String> attributes(String name) {
        return SdpLine.allAttributes(lines, name);
    }

    public boolean hasAttribute(String name) {
        return SdpLine.firstAttributeLine(lines, name) != null;
    }

    /** How messages name this section: "m-section 2 (mid 1)". */
    public String label() {
        String mid = mid();
        String position = index >= 0 ? "m-section " + (index + 1) : "m-section";
        return mid == null ? position : position + " (mid " + mid + ")";
    }

    /** The media-level {@code a=msid}, or null. */
    public Msid msid() {
        return Msid.parse(attribute("msid"));
    }

    /**
     * The RTP formats in m-line order, each with its rtpmap, fmtp, rtcp-fb (including {@code rtcp-fb:*}) and its
     * RTX payload type attached; RTX formats themselves are not listed. Static payload types without rtpmap get
     * their RFC 3551 meaning.
     */
    public List<Codec> codecs() throws SdpException {
        if (!isRtp()) {
            return List.of();
        }
        Map<Integer, String[]> rtpmaps = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        Map<Integer, List<String>> feedback = new HashMap<>();
        List<String> anyFeedback = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.isAttribute("rtpmap")) {
                String[] pt = splitPayloadType(line, "rtpmap");
                String[] enc = pt[1].trim().split("/");
                if (enc.length < 2 || enc[0].isEmpty()) {
                    throw new SdpException(label() + " has a malformed a=rtpmap line: " + line);
                }
                rtpmaps.putIfAbsent(payloadType(pt[0], line), enc);
            } else if (line.isAttribute("fmtp")) {
                String[] pt = splitPayloadType(line, "fmtp");
                fmtps.putIfAbsent(payloadType(pt[0], line), pt[1].trim());
            } else if (line.isAttribute("rtcp-fb")) {
                String[] pt = splitPayloadType(line, "rtcp-fb");
                String value = pt[1].trim().replaceAll("\\s+", " ");
                if (pt[0].equals("*")) {
                    anyFeedback.add(value);
                } else {
                    feedback.computeIfAbsent(payloadType(pt[0], line), k -> new ArrayList<>()).add(value);
                }
            }
        }
        List<Codec> all = new ArrayList<>();
        for (String format : formats) {
            int pt = payloadType(format, null);
            String[] enc = rtpmaps.get(pt);
            String name;
            int clock;
            int channels = 1;
            if (enc == null) {
                String[] known = STATIC_FORMATS.get(pt);
                if (known == null) {
                    if (pt >= 96 || pt >= 35 && pt <= 63) {
                        throw new SdpException(label() + " has no a=rtpmap for payload type " + pt);
                    }
                    continue; // an unassigned static number: nothing the SFU would use
                }
                name = known[0];
                clock = Integer.parseInt(known[1]);
            } else {
                name = enc[0];
                clock = positive(enc[1], "clock rate", pt);
                if (enc.length > 2) {
                    channels = positive(enc[2], "channel count", pt);
                }
            }
            List<String> fb = new ArrayList<>(anyFeedback);
            fb.addAll(feedback.getOrDefault(pt, List.of()));
            all.add(new Codec(pt, name, clock, channels, fmtps.get(pt), fb, -1));
        }
        // Attach each RTX format to the format its apt= names; drop the RTX entries from the list.
        Map<Integer, Integer> rtxByApt = new HashMap<>();
        for (Codec c : all) {
            if (c.name().equalsIgnoreCase("rtx")) {
                String apt = c.parameter("apt");
                if (apt == null) {
                    throw new SdpException(label() + " has an rtx payload type " + c.payloadType() + " without apt=");
                }
                rtxByApt.putIfAbsent(payloadType(apt, null), c.payloadType());
            }
        }
        List<Codec> result = new ArrayList<>();
        for (Codec c : all) {
            if (!c.name().equalsIgnoreCase("rtx")) {
                result.add(c.withPayloadTypes(c.payloadType(), rtxByApt.getOrDefault(c.payloadType(), -1)));
            }
        }
        return result;
    }

    /** The header extensions, URI to id, in order ({@code a=extmap:<id>[/<direction>] <uri>}). */
    public Map<String, Integer> extensions() throws SdpException {
        Map<String, Integer> result = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (SdpLine line : lines) {
            if (!line.isAttribute("extmap")) {
                continue;
            }
            String value = line.attributeValue();
            String[] parts = value == null ? new String[0] : value.trim().split("\\s+");
            if (parts.length < 2) {
                throw new SdpException(label() + " has a malformed a=extmap line: " + line);
            }
            String idText = parts[0];
            int slash = idText.indexOf('/');
            if (slash >= 0) {
                idText = idText.substring(0, slash);
            }
            int id = number(idText, 1, 255, "header extension id", line);
            String uri = parts[1];
            String previous = byId.putIfAbsent(id, uri);
            if (previous != null && !previous.equals(uri)) {
                throw new SdpException(label() + " uses header extension id " + id + " for both " + previous
                        + " and " + uri);
            }
            result.putIfAbsent(uri, id);
        }
        return Collections.unmodifiableMap(result);
    }

    /** The {@code a=ssrc} lines grouped by SSRC, in order of first appearance. */
    public List<SsrcDescription> sources() throws SdpException {
        Map<Long, Map<String, String>> bySsrc = new LinkedHashMap<>();
        for (SdpLine line : lines) {
            if (!line.isAttribute("ssrc")) {
                continue;
            }
            String value = line.attributeValue();
            if (value == null || value.isBlank()) {
                throw new SdpException(label() + " has an empty a=ssrc line");
            }
            value = value.trim();
            int space = value.indexOf(' ');
            long ssrc = ssrc(space < 0 ? value : value.substring(0, space), line);
            Map<String, String> attributes = bySsrc.computeIfAbsent(ssrc, k -> new LinkedHashMap<>());
            if (space > 0) {
                String rest = value.substring(space + 1).trim();
                int colon = rest.indexOf(':');
                String name = colon < 0 ? rest : rest.substring(0, colon);
                attributes.putIfAbsent(name, colon < 0 ? "" : rest.substring(colon + 1));
            }
        }
        List<SsrcDescription> result = new ArrayList<>();
        bySsrc.forEach((ssrc, attributes) -> result.add(new SsrcDescription(ssrc, attributes)));
        return result;
    }

    public List<SsrcGroup> ssrcGroups() throws SdpException {
        List<SsrcGroup> result = new ArrayList<>();
        for (SdpLine line : lines) {
            if (!line.isAttribute("ssrc-group")) {
                continue;
            }
            String value = line.attributeValue();
            String[] parts = value == null ? new String[0] : value.trim().split("\\s+");
            if (parts.length < 2 || parts[0].isEmpty()) {
                throw new SdpException(label() + " has a malformed a=ssrc-group line: " + line);
            }
            List<Long> ssrcs = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                ssrcs.add(ssrc(parts[i], line));
            }
            result.add(new SsrcGroup(parts[0], ssrcs));
        }
        return result;
    }

    /** The ids of {@code a=rid:<id> <direction>} lines whose direction is {@code direction} ("send"/"recv"). */
    public List<String> rids(String direction) {
        List<String> result = new ArrayList<>();
        for (String value : attributes("rid")) {
            String[] parts = value.trim().split("\\s+");
            if (parts.length >= 2 && parts[1].equals(direction) && !result.contains(parts[0])) {
                result.add(parts[0]);
            }
        }
        return result;
    }

    private String[] splitPayloadType(SdpLine line, String name) throws SdpException {
        String value = line.attributeValue();
        if (value == null) {
            throw new SdpException(label() + " has an a=" + name + " line without a value");
        }
        value = value.trim();
        int space = value.indexOf(' ');
        if (space <= 0) {
            throw new SdpException(label() + " has a malformed a=" + name + " line: " + line);
        }
        return new String[] {value.substring(0, space), value.substring(space + 1)};
    }

    private int payloadType(String text, SdpLine line) throws SdpException {
        try {
            int pt = Integer.parseInt(text.trim());
            if (pt >= 0 && pt <= 127) {
                return pt;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException(label() + " has an invalid payload type \"" + text + "\""
                + (line == null ? "" : " in " + line));
    }

    private int positive(String text, String what, int pt) throws SdpException {
        try {
            int v = Integer.parseInt(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException(label() + " has an invalid " + what + " \"" + text + "\" for payload type " + pt);
    }

    private int number(String text, int min, int max, String what, SdpLine line) throws SdpException {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException(label() + " has an invalid " + what + " \"" + text + "\" in " + line);
    }

    private long ssrc(String text, SdpLine line) throws SdpException {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0 && v <= 0xFFFFFFFFL) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException(label() + " has an invalid SSRC \"" + text + "\" in " + line);
    }

    /** Writes the m-line and its lines, each ended by CRLF. */
    void appendTo(StringBuilder out) {
        out.append("m=").append(kind).append(' ').append(port);
        if (portCount >= 0) {
            out.append('/').append(portCount);
        }
        out.append(' ').append(proto);
        for (String f : formats) {
            out.append(' ').append(f);
        }
        out.append("\r\n");
        for (SdpLine line : lines) {
            out.append(line.type()).append('=').append(line.value()).append("\r\n");
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out);
        return out.toString();
    }

    private static final Map<Integer, String[]> STATIC_FORMATS = Map.of(
            0, new String[] {"PCMU", "8000"},
            3, new String[] {"GSM", "8000"},
            4, new String[] {"G723", "8000"},
            8, new String[] {"PCMA", "8000"},
            9, new String[] {"G722", "8000"},
            13, new String[] {"CN", "8000"},
            18, new String[] {"G729", "8000"},
            26, new String[] {"JPEG", "90000"},
            31, new String[] {"H261", "90000"},
            34, new String[] {"H263", "90000"});

    /** Collects the lines of a section the server writes. */
    public static final class Builder {
        private final String kind;
        private final int port;
        private final String proto;
        private final List<String> formats;
        private final List<SdpLine> lines = new ArrayList<>();

        private Builder(String kind, int port, String proto, List<String> formats) {
            this.kind = kind;
            this.port = port;
            this.proto = proto;
            this.formats = List.copyOf(formats);
        }

        public Builder line(char type, String value) {
            lines.add(new SdpLine(type, value));
            return this;
        }

        public Builder attribute(String name, String value) {
            lines.add(SdpLine.attribute(name, value));
            return this;
        }

        public Builder flag(String name) {
            lines.add(SdpLine.flag(name));
            return this;
        }

        public MediaSection build() {
            return new MediaSection(-1, kind, port, -1, proto, formats, lines);
        }
    }
}
