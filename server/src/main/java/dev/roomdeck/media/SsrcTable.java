package dev.roomdeck.media;

/**
 * int SSRC → value, open addressing, no boxing: the per-packet lookup of SRTP contexts allocates nothing.
 * Bounded, so a peer spraying SSRCs cannot grow it without limit.
 */
final class SsrcTable<T> {
    private final int maxSize;
    private int[] keys = new int[16];
    private Object[] values = new Object[16];
    private int size;

    SsrcTable(int maxSize) {
        this.maxSize = maxSize;
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        int mask = keys.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return (T) v;
            }
        }
    }

    /** Adds a value for a new SSRC; false when the table is full. */
    boolean put(int ssrc, T value) {
        if (size >= maxSize) {
            return false;
        }
        if ((size + 1) * 2 > keys.length) {
            resize();
        }
        insert(keys, values, ssrc, value);
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void resize() {
        int[] newKeys = new int[keys.length * 2];
        Object[] newValues = new Object[values.length * 2];
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                insert(newKeys, newValues, keys[i], values[i]);
            }
        }
        keys = newKeys;
        values = newValues;
    }

    private static void insert(int[] keys, Object[] values, int ssrc, Object value) {
        int mask = keys.length - 1;
        int i = mix(ssrc) & mask;
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = value;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
