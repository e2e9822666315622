package app.secondheart.state

import java.time.Instant
import java.time.ZoneId
import uniffi.second_heart.Clock
import uniffi.second_heart.LocalMoment
import uniffi.second_heart.SecondHeart

/** The open core and the clock it runs by, shared by every screen's model. */
class Core(val app: SecondHeart, val clock: Clock) {
    /** Now, by the app's clock. */
    fun now(): Instant = clock.now()

    /** The user's zone, by the app's clock. */
    fun zone(): ZoneId = ZoneId.of(clock.timeZone())

    /** Today's local date. */
    fun today(): java.time.LocalDate = now().atZone(zone()).toLocalDate()

    /** The moment a form's [time] on [day] names where the user was then, with that zone (the core's `momentAt`). */
    fun momentAt(day: java.time.LocalDate, time: java.time.LocalTime): LocalMoment =
        app.sessions().momentAt(day.toString(), "%02d:%02d".format(java.util.Locale.ROOT, time.hour, time.minute))
}
