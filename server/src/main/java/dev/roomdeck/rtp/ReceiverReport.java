package dev.roomdeck.rtp;

/** Receiver report (RFC 3550 6.4.2): header, reporter SSRC, RC report blocks. Reader and builder. */
public final class ReceiverReport {
    private ReceiverReport() {}

    public static final int HEADER_END = 8;
    public static final int MAX_BLOCKS = 31;

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= HEADER_END && Rtcp.packetType(b, off) == Rtcp.PT_RR
                && len >= HEADER_END + ReportBlock.LENGTH * reportCount(b, off);
    }

    public static int ssrc(byte[] b, int off) { return Bytes.i32(b, off + 4); }
    public static int reportCount(byte[] b, int off) { return Rtcp.countOrFormat(b, off); }
    public static int reportBlockOffset(int off, int i) { return off + HEADER_END + ReportBlock.LENGTH * i; }

    /**
     * Writes an RR with one block per statistics object ({@code count} of them, at most 31) and returns its
     * length. Each {@link ReceiveStats#writeReportBlock} call closes that stream's reporting interval.
     * Needs {@code 8 + 24 * count} bytes at {@code off}.
     */
    public static int write(byte[] out, int off, int reporterSsrc, ReceiveStats[] streams, int count, long nowNanos) {
        if (count < 0 || count > MAX_BLOCKS) throw new IllegalArgumentException("report blocks: " + count);
        int len = HEADER_END + ReportBlock.LENGTH * count;
        Rtcp.writeHeader(out, off, count, Rtcp.PT_RR, len);
        Bytes.put32(out, off + 4, reporterSsrc);
        for (int i = 0; i < count; i++) streams[i].writeReportBlock(out, reportBlockOffset(off, i), nowNanos);
        return len;
    }

    /** Writes an RR header for {@code count} blocks the caller fills in with {@link ReportBlock#write}; returns the total length. */
    public static int writeHeader(byte[] out, int off, int reporterSsrc, int count) {
        if (count < 0 || count > MAX_BLOCKS) throw new IllegalArgumentException("report blocks: " + count);
        int len = HEADER_END + ReportBlock.LENGTH * count;
        Rtcp.writeHeader(out, off, count, Rtcp.PT_RR, len);
        Bytes.put32(out, off + 4, reporterSsrc);
        return len;
    }
}
