package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <type>=<value>} line of an SDP, kept verbatim so that parse then write loses nothing. For attribute
 * lines ({@code a=name:value} or the flag {@code a=name}) the helpers split name and value.
 */
public record SdpLine(char type, String value) {

    public SdpLine {
        if (value == null) {
            throw new IllegalArgumentException("an SDP line needs a value");
        }
    }

    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', value == null ? name : name + ":" + value);
    }

    public static SdpLine flag(String name) {
        return new SdpLine('a', name);
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** True for {@code a=name} and {@code a=name:...}. */
    public boolean isAttribute(String name) {
        return type == 'a' && value.startsWith(name)
                && (value.length() == name.length() || value.charAt(name.length()) == ':');
    }

    /** The attribute's name (before the first colon); null for other line types. */
    public String attributeName() {
        if (type != 'a') {
            return null;
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** The attribute's value (after the first colon); null for flags and other line types. */
    public String attributeValue() {
        if (type != 'a') {
            return null;
        }
        int colon = value.indexOf(':');
        return colon < 0 ? null : value.substring(colon + 1);
    }

    /** The first attribute line of that name in {@code lines} (a section's or the session's), or null. */
    static SdpLine firstAttributeLine(List<SdpLine> lines, String name) {
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                return line;
            }
        }
        return null;
    }

    /** The value of the first attribute of that name (null when absent or a flag). */
    static String firstAttribute(List<SdpLine> lines, String name) {
        SdpLine line = firstAttributeLine(lines, name);
        return line == null ? null : line.attributeValue();
    }

    /** The values of every attribute of that name, in order (flags give empty strings). */
    static List<String> allAttributes(List<SdpLine> lines, String name) {
        List<String> values = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                String v = line.attributeValue();
                values.add(v == null ? "" : v);
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
