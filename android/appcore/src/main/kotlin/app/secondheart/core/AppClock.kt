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

/** The IANA name the core expects; java.time writes UTC as "Z". */
internal fun ZoneId.ianaName(): String =
    when (val zone = normalized()) {
        ZoneOffset.UTC -> "UTC"
        else -> zone.id
    }
