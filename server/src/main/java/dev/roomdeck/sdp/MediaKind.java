package dev.roomdeck.sdp;
public enum MediaKind { AUDIO, VIDEO }
