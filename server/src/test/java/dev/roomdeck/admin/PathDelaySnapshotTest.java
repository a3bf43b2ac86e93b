package dev.roomdeck.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading the server's packet-path delay: which bucket bound a share of the datagrams stayed under. */
class PathDelaySnapshotTest {
    private static final List<Long> BOUNDS = List.of(50L, 500L, 5_000L);

    @Test
    void theQuantileIsTheBoundOfTheBucketWhereItFalls() {
        // 1,000 datagrams within 50 µs, 9 within 5 ms, 1 above every bound.
        PathDelaySnapshot d = new PathDelaySnapshot(BOUNDS, List.of(1_000L, 0L, 9L, 1L), 0);
        assertThat(d.total()).isEqualTo(1_010);
        assertThat(d.atMostMicros(0.5)).isEqualTo(50);
        assertThat(d.atMostMicros(0.99)).as("1,000 of 1,010 is 99.01 %").isEqualTo(50);
        assertThat(d.atMostMicros(0.995)).isEqualTo(5_000);
        assertThat(d.atMostMicros(1.0)).as("above the last bound").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nothingRecordedHasNoQuantile() {
        assertThat(new PathDelaySnapshot(BOUNDS, List.of(0L, 0L, 0L, 0L), 0).atMostMicros(0.99)).isEqualTo(-1);
    }

    @Test
    void thereIsOneCountPerBoundAndOneAboveThem() {
        assertThatThrownBy(() -> new PathDelaySnapshot(BOUNDS, List.of(1L, 2L, 3L), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
