package dev.roomdeck.admin;

import java.time.Instant;

/**
 * Someone waiting in a locked room's lobby.
 *
 * @param knockId what {@link AdminApi#admit} and {@link AdminApi#refuse} take
 * @param name    the name the person typed (join attributes {@code name}); their user id when none
 */
public record KnockSnapshot(String knockId, String userId, String name, String address, Instant since) {
}
