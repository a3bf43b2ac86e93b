package dev.roomdeck.media;

/**
 * Decrypted media from one transport, one packet at a time. On the SFU it is called on the shared port's reader
 * thread, which carries every peer's media (client side: the transport's own thread). The buffer is reused as
 * soon as the call returns, so copy what you keep. Never block here: on the SFU it would stall everyone's media.
 */
public interface PacketReceiver {
    void onRtp(byte[] buf, int off, int len);

    void onRtcp(byte[] buf, int off, int len);
}
