package dev.roomdeck.signal;

import dev.roomdeck.auth.TokenService;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.room.Rooms;

/** What every signalling session needs, built once per server. */
public record SignalServices(Rooms rooms, TokenService tokens, SignalCodec codec, ServerConfig config,
                             SessionRegistry sessions) {
}
