package dev.roomdeck.sdp;
public final class SdpException extends Exception { public SdpException(String m) { super(m); } }
