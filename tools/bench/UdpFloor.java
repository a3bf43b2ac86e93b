import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's price of one UDP send on this machine, the floor under any SFU's "CPU per forwarded packet":
 * one sender thread sends 1200-byte datagrams round-robin to N loopback sockets that one reader thread drains
 * (like the load generator's), and the sending thread's own CPU time per packet is read from /proc.
 *
 *   java -cp 'tools/target/lib/*' tools/bench/UdpFloor.java [sockets=400] [readPauseMicros=0] [packets=300000] [BATCH]
 *
 * (the class path gives it JNA, from the tools module's lib/ after a build)
 *
 * Loopback only (127.0.0.1). readPauseMicros > 0 makes the reader rest between passes, as compare.sh's
 * --read-pause does; with 0 every datagram wakes it, inside the sender's send call.
 *
 * <p>With BATCH: the same packets from a libc socket, once with one sendto(2) per packet through JNA and once with
 * sendmmsg(2) sending BATCH packets per call, which the JDK does not offer: what fewer system calls would save an
 * SFU's send.
 */
public class UdpFloor {
    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        long pauseNanos = (args.length > 1 ? Long.parseLong(args[1]) : 0) * 1000;
        int packets = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 0;

        DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Selector selector = Selector.open();
        InetSocketAddress[] targets = new InetSocketAddress[sockets];
        for (int i = 0; i < sockets; i++) {
            DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            rx.configureBlocking(false);
            rx.register(selector, SelectionKey.OP_READ);
            targets[i] = (InetSocketAddress) rx.getLocalAddress();
        }
        Thread reader = new Thread(() -> drain(selector, pauseNanos), "reader");
        reader.setDaemon(true);
        reader.start();

        if (batch > 0) {
            NativeSend.run(targets, packets, batch, pauseNanos);
            return;
        }
        ByteBuffer packet = ByteBuffer.allocateDirect(1200);
        for (int round = 1; round <= 3; round++) {
            long[] before = threadCpu();
            long start = System.nanoTime();
            for (int i = 0; i < packets; i++) {
                packet.clear();
                sender.send(packet, targets[i % sockets]);
            }
            long wall = System.nanoTime() - start;
            long[] after = threadCpu();
            System.out.printf("round %d: %d sockets, read pause %d us: sender CPU %.2f us/packet (user %.2f, "
                            + "kernel %.2f), wall %.2f us/packet%n", round, sockets, pauseNanos / 1000,
                    (after[0] + after[1] - before[0] - before[1]) * 10.0 / packets * 1000,
                    (after[0] - before[0]) * 10.0 / packets * 1000, (after[1] - before[1]) * 10.0 / packets * 1000,
                    wall / 1e3 / packets);
        }
    }

    private static void drain(Selector selector, long pauseNanos) {
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                selector.select();
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    while (c.receive(b.clear()) != null) {
                        // drained
                    }
                }
                selector.selectedKeys().clear();
                if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
            }
        } catch (Exception e) {
            // the JVM exits with main
        }
    }

    static void report(String how, int round, int sockets, long pauseNanos, int packets, long[] before, long[] after,
                       long wall) {
        System.out.printf("%s round %d: %d sockets, read pause %d us: sender CPU %.2f us/packet (user %.2f, kernel %.2f), "
                        + "wall %.2f us/packet%n", how, round, sockets, pauseNanos / 1000,
                (after[0] + after[1] - before[0] - before[1]) * 10.0 / packets * 1000,
                (after[0] - before[0]) * 10.0 / packets * 1000, (after[1] - before[1]) * 10.0 / packets * 1000,
                wall / 1e3 / packets);
    }

    /** Sends from a socket of libc's through JNA: sendto per packet, then sendmmsg per batch (x86-64 Linux layouts). */
    static final class NativeSend {
        interface LibC extends com.sun.jna.Library {
            int socket(int domain, int type, int protocol);
            long sendto(int fd, com.sun.jna.Pointer buf, long len, int flags, com.sun.jna.Pointer addr, int addrLen);
            int sendmmsg(int fd, com.sun.jna.Pointer messages, int count, int flags);
        }

        private static final int SOCKADDR = 16;
        private static final int IOVEC = 16;
        private static final int MMSGHDR = 64; // struct msghdr (56) + msg_len, padded

        static void run(InetSocketAddress[] targets, int packets, int batch, long pauseNanos) throws Exception {
            LibC c = com.sun.jna.Native.load("c", LibC.class);
            int fd = c.socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0);
            com.sun.jna.Memory payload = new com.sun.jna.Memory(1200);
            payload.clear();
            com.sun.jna.Memory addresses = new com.sun.jna.Memory((long) SOCKADDR * targets.length);
            addresses.clear();
            for (int i = 0; i < targets.length; i++) {
                long at = (long) i * SOCKADDR;
                addresses.setShort(at, (short) 2);
                int port = targets[i].getPort();
                addresses.setByte(at + 2, (byte) (port >>> 8));
                addresses.setByte(at + 3, (byte) port);
                byte[] ip = targets[i].getAddress().getAddress();
                addresses.write(at + 4, ip, 0, 4);
            }
            com.sun.jna.Memory iov = new com.sun.jna.Memory(IOVEC);
            iov.setPointer(0, payload);
            iov.setLong(8, 1200);
            com.sun.jna.Memory messages = new com.sun.jna.Memory((long) MMSGHDR * batch);
            messages.clear();
            for (int j = 0; j < batch; j++) {
                long m = (long) j * MMSGHDR;
                messages.setInt(m + 8, SOCKADDR);  // msg_namelen
                messages.setPointer(m + 16, iov);  // msg_iov
                messages.setLong(m + 24, 1);       // msg_iovlen
            }
            for (int round = 1; round <= 3; round++) {
                long[] before = threadCpu();
                long start = System.nanoTime();
                for (int i = 0; i < packets; i++) {
                    if (c.sendto(fd, payload, 1200, 0, addresses.share((long) (i % targets.length) * SOCKADDR), SOCKADDR) < 0) {
                        throw new IllegalStateException("sendto failed");
                    }
                }
                report("sendto (JNA)", round, targets.length, pauseNanos, packets, before, threadCpu(), System.nanoTime() - start);
            }
            for (int round = 1; round <= 3; round++) {
                long[] before = threadCpu();
                long start = System.nanoTime();
                for (int i = 0; i < packets; i += batch) {
                    int n = Math.min(batch, packets - i);
                    for (int j = 0; j < n; j++) {
                        messages.setPointer((long) j * MMSGHDR, addresses.share((long) ((i + j) % targets.length) * SOCKADDR));
                    }
                    int sent = 0;
                    while (sent < n) {
                        int r = c.sendmmsg(fd, messages.share((long) sent * MMSGHDR), n - sent, 0);
                        if (r <= 0) {
                            throw new IllegalStateException("sendmmsg failed: errno " + com.sun.jna.Native.getLastError());
                        }
                        sent += r;
                    }
                }
                report("sendmmsg x" + batch, round, targets.length, pauseNanos, packets, before, threadCpu(), System.nanoTime() - start);
            }
        }
    }

    /** This thread's utime and stime in clock ticks (1/100 s). */
    private static long[] threadCpu() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
