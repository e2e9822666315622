package app.secondheart.core

import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import uniffi.second_heart.Clock as CoreClock

/**
 * The phone's clock and zone as the Rust core reads them: the core never
 * reads a clock of its own, so tests and screenshots hand it a fixed one
 * ([clock]). Without one, the zone is the phone's at each call, not at
 * the app's start: a traveller's new zone reaches the core as soon as the
 * phone changes it (Android resets a running app's default zone then).
 */
class AppClock(private val clock: java.time.Clock? = null) : CoreClock {
    override fun now(): Instant = clock?.instant() ?: Instant.now()

    override fun timeZone(): String = (clock?.zone ?: ZoneId.systemDefault()).ianaName()
}

/** The zone names java.time knows (IANA's), read once: every core call asks for the zone. */
private val namedZones: Set<String> by lazy { ZoneId.getAvailableZoneIds() }

/**
 * The IANA name the core expects. A named zone is its own name (also a
 * fixed one such as "Etc/GMT-3"); a bare offset ("Z", "+03:00",
 * "GMT+03:00", which some phones and network time lookups give) is named
 * as IANA names whole-hour offsets, "Etc/GMT-3" for +03:00 (the sign turned,
 * as POSIX has it), and UTC for none. An offset of part of an hour has no
 * IANA name: its own is passed on, and the core says it does not know it.
 * Every name of UTC ("GMT", "Etc/UTC", "Z") is "UTC".
 */
internal fun ZoneId.ianaName(): String {
    val offset = normalized() as? ZoneOffset
    // "GMT", "Etc/UTC", "Z"…: one name, so a phone with no zone set does not change zone on an update.
    if (offset == ZoneOffset.UTC) return "UTC"
    if (offset == null || id in namedZones) return id
    val seconds = offset.totalSeconds
    return when {
        seconds == 0 -> "UTC"
        seconds % 3_600 != 0 -> id
        seconds > 0 -> "Etc/GMT-${seconds / 3_600}"
        else -> "Etc/GMT+${-seconds / 3_600}"
    }
}
