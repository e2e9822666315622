package app.secondheart.core

import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import uniffi.second_heart.Clock as CoreClock

/**
 * The phone's clock and zone as the Rust core reads them: the core never
 * reads a clock of its own, so tests and screenshots hand it a fixed one.
 */
class AppClock(private val clock: java.time.Clock = java.time.Clock.systemDefaultZone()) : CoreClock {
    override fun now(): Instant = clock.instant()

    override fun timeZone(): String = clock.zone.ianaName()
}

/** The IANA name the core expects; java.time writes UTC as "Z". */
internal fun ZoneId.ianaName(): String =
    when (val zone = normalized()) {
        ZoneOffset.UTC -> "UTC"
        else -> zone.id
    }
