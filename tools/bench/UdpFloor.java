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
 *   java tools/bench/UdpFloor.java [sockets=400] [readPauseMicros=0] [packets=300000]
 *
 * Loopback only (127.0.0.1). readPauseMicros > 0 makes the reader rest between passes, as compare.sh's
 * --read-pause does; with 0 every datagram wakes it, inside the sender's send call.
 */
public class UdpFloor {
    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        long pauseNanos = (args.length > 1 ? Long.parseLong(args[1]) : 0) * 1000;
        int packets = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;

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

    /** This thread's utime and stime in clock ticks (1/100 s). */
    private static long[] threadCpu() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
