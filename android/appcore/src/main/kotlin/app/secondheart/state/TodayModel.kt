package app.secondheart.state

import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import uniffi.second_heart.CompressionAdvice
import uniffi.second_heart.CompressionCautions
import uniffi.second_heart.Ring
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionState
import uniffi.second_heart.TodayView
import uniffi.second_heart.garmentClasses
import uniffi.second_heart.RingKind as CoreRing

/** Today: the core's TodayView, formatted; a glass of water and compression socks logged from it. */
class TodayModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<TodayUi?>(null, scope, io) {
    /** The garment bands offered, from the core. */
    private val garments = garmentClasses()

    /** The band picked for the next time socks go on: the one the core suggests until the user picks. */
    @Volatile
    private var chosenMmhg: UInt = (garments.firstOrNull { it.suggested } ?: garments.first()).mmhg

    /** The socks' caution and the health answers it was read for. */
    @Volatile
    private var caution: Pair<CompressionCautions, String?>? = null

    /** What the last action said (yesterday's is not shown today; AppModels forgets it when the data is replaced). */
    internal val message = DayMessage(core::today)

    /** What the last failed read of Today said, taken back once a read succeeds. */
    private val readFailed = AtomicReference<String?>(null)

    private val notShown = MutableStateFlow<String?>(null)

    /**
     * Why Today could not be read before any view was shown (the screen
     * has nothing else to show it on); null once a view is. The model
     * tries again every minute.
     */
    val unavailable: StateFlow<String?> = notShown

    /** The number of the view shown (the core numbers views as it computes them): an older one is not shown over it. */
    private val shownNumber = AtomicLong(-1)

    override suspend fun refresh() {
        try {
            // A read that fails while this one runs keeps its words: this
            // one forgets only the failure it saw before it started.
            val failedBefore = readFailed.get()
            show(core.app.today().view())
            readFailed.compareAndSet(failedBefore, null)
        } catch (e: SecondHeartException) {
            val failed = userMessage(e)
            readFailed.set(failed)
            if (mutable.value == null) {
                notShown.value = failed
                // Nothing shown yet to show it on, nor a clock running to read again: try each minute.
                tick(true, everyMillis = 60_000)
            }
            throw e
        }
        // The sitting stretch grows, and the date turns, with no write.
        tick(true, everyMillis = 60_000)
    }

    override fun onError(message: String) {
        say(message)
        mutable.update { it?.copy(message = message) }
    }

    private fun say(text: String) {
        message.text = text
    }

    /** When the last glass was tapped ([System.nanoTime]), to take a double tap for one. */
    private val lastGlass = java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE)

    /**
     * Logs a glass of water (250 mL) now. A second tap within a second is
     * the same tap (a drink logged cannot be taken back).
     */
    fun logGlass() {
        val now = System.nanoTime()
        val last = lastGlass.get()
        if (last != Long.MIN_VALUE && now - last < SAME_TAP_NANOS) return
        if (!lastGlass.compareAndSet(last, now)) return
        storeGlass()
    }

    private fun storeGlass() = act {
        core.app.sessions().drink(GLASS_ML)
        say("Logged a glass of water, $GLASS_ML mL")
        refresh()
    }

    /** Picks the band of the socks about to go on (an id of [SocksUi.classes]). */
    fun chooseSocks(id: String) {
        chosenMmhg = id.toUIntOrNull()?.takeIf { mmhg -> garments.any { it.mmhg == mmhg } } ?: return
        mutable.update { it?.copy(socks = it.socks?.copy(classes = socksChoices())) }
    }

    /**
     * The socks went on now, of the band picked. A second tap that finds
     * them on already (a double tap) shows Today as it is, not an error.
     */
    fun socksOn() = act {
        val band = chosenMmhg
        val started = try {
            core.app.sessions().compressionOn(band)
        } catch (alreadyOn: SecondHeartException.Conflict) {
            refresh()
            return@act
        }
        say(
            when (val advice = started.advice) {
                is CompressionAdvice.Suitable -> "Socks on: ${garmentLabel(band)}"
                is CompressionAdvice.SeeDoctorFirst -> "Socks on. Please check with your doctor that they suit you: ${advice.reasons.joinToString("; ")}"
            },
        )
        refresh()
    }

    /** The socks card of [view]: worn since when (and since which day, when not today), or worn how long today. */
    private fun socks(view: TodayView, zone: ZoneId, cautions: CompressionCautions): SocksUi {
        val today = LocalDate.parse(view.date)
        val since = view.compressionSinceEarlierDay?.let(LocalDate::parse)
        return SocksUi(
            status = view.compression?.let {
                "On since ${formats.clock(it.on, zone)}${since?.let { day -> formats.onDay(day, today) } ?: ""} · ${garmentLabel(it.mmhg)}"
            }
                ?: view.summary.compressionMinutes.takeIf { it > 0u }?.let { "Worn ${formats.minutes(it.toLong())} today" }
                ?: "Not worn today",
            wearing = view.compression != null,
            classes = socksChoices(),
            caution = socksCaution(cautions),
            // Not LocalDate.datesUntil: Android has it only from API 34.
            offDays = since?.let { first ->
                generateSequence(first) { it.plusDays(1) }.takeWhile { it <= today }.map { DayUi(it, formats.formDay(it, today)) }.toList()
            }.orEmpty(),
        )
    }

    /**
     * The socks came off at [time] (hours:minutes) on [day], told afterwards: left on overnight, or their "off"
     * forgotten. A time that is no time of day, later than now or before they went on is refused with the reason,
     * the card kept; a second tap that finds them off already shows Today as it is.
     */
    fun socksOffAt(day: LocalDate, time: String) = act {
        val clock = formats.parseClock(time) ?: return@act onError("Type when they came off as hours:minutes, e.g. 22:30")
        val moment = core.momentAt(day, clock)
        val wear = try {
            core.app.sessions().compressionOffAt(moment.at)
        } catch (alreadyOff: SecondHeartException.Conflict) {
            refresh()
            return@act
        }
        val worn = Duration.between(wear.on, wear.off ?: moment.at).toMinutes()
        say("Socks off at ${formats.clock(moment.at, ZoneId.of(moment.timeZone))}${formats.onDay(day, core.today())}, after ${formats.minutes(worn)}")
        refresh()
    }

    /** The socks came off now; a second tap that finds them off already shows Today as it is. */
    fun socksOff() = act {
        val wear = try {
            core.app.sessions().compressionOff()
        } catch (alreadyOff: SecondHeartException.Conflict) {
            refresh()
            return@act
        }
        // Put on by a clock that ran ahead: removed, never worn as far as the phone can tell.
        if (wear.off == wear.on) {
            say("Socks removed: they went on at ${formats.clock(wear.on, core.zone())}, later than the phone's clock says it is now")
        } else {
            val worn = Duration.between(wear.on, wear.off ?: core.now()).toMinutes()
            say("Socks off after ${formats.minutes(worn)}")
        }
        refresh()
    }

    /** Publishes a Today the core pushed after a change. */
    fun publish(view: TodayView) = show(view)

    /**
     * Shows [view] unless a newer one is shown: a read and a push, or two
     * pushes from two writers, can arrive in either order.
     */
    private fun show(view: TodayView) {
        // A read that failed a moment ago (the database busy) no longer holds, whether this view was read or
        // pushed (withdrawing it again is harmless: a push may land before the failure is said).
        readFailed.get()?.let(message::withdraw)
        val shown = present(view)
        notShown.value = null
        synchronized(shownNumber) {
            if (view.number.toLong() > shownNumber.get()) {
                shownNumber.set(view.number.toLong())
                mutable.value = shown
            }
        }
    }

    /** Formats [view] for the Today screen. */
    fun present(view: TodayView): TodayUi {
        val profile = core.app.profile().get()
        val now = core.now()
        val zone = core.zone()
        val rings = view.rings.mapNotNull { ring(it) }
        val pumped = view.rings.firstOrNull { it.kind == CoreRing.PUMPED_LITRES }?.value ?: 0.0
        val stretch = view.sitting.currentStretchMin?.toLong()
        // How long the core's first reminder waits for this stretch; none with reminders off: no bar, never due.
        val breakAfter = view.sitting.breakAfterMin?.toLong()?.coerceAtLeast(1)
        val sitting = when {
            stretch != null -> SittingUi(
                "Sitting for ${formats.minutes(stretch)}",
                breakAfter?.let { (stretch.toFloat() / it).coerceIn(0f, 1f) },
                breakAfter != null && stretch >= breakAfter,
            )
            view.sitting.totalMin > 0u -> SittingUi(
                "Sat ${formats.minutes(view.sitting.totalMin.toLong())} today, ${formats.plural(view.sitting.breaks.toLong(), "break")}",
                null,
                false,
            )
            else -> null
        }
        val sensor = view.sensors.firstOrNull()
        val date = formats.longDate(LocalDate.parse(view.date))
        return TodayUi(
            date = date,
            // Litres that would read "0.0" are none yet.
            headline = if (pumped >= 0.05) "Your calves pumped ${formats.litres(pumped)} L today" else "A short walk starts your calf pump",
            rings = rings,
            sitting = sitting,
            // While a walk or set is active, its next break is the one for a Finish forgotten: not shown.
            // A break moved past the night is named by its day ("07:45 tomorrow").
            nextBreak = view.nextBreak?.takeIf { view.session?.state != SessionState.ACTIVE }?.let {
                val day = formats.onDay(it.dueAt.atZone(zone).toLocalDate(), LocalDate.parse(view.date))
                "Next break ${formats.clock(it.dueAt, zone)}$day · ${it.title}"
            },
            sensor = if (sensor == null) {
                SensorStatusUi("No sensor paired", "Pair a sock or ankle sensor to count calf pumps", false)
            } else {
                SensorStatusUi(
                    "${sensor.model} ${sensor.serial}",
                    (sensor.lastSync?.let { "Synced ${formats.ago(it, now)}" } ?: "Not synced yet") +
                        " · ${formats.plural(sensor.records.toLong(), "record")}",
                    sensor.lastSync != null,
                )
            },
            flight = view.flightNext?.let { "Next on your flight at ${it.departureLocal.takeLast(5)}: ${it.text}" },
            water = view.rings.firstOrNull { it.kind == CoreRing.HYDRATION }?.let { ring ->
                WaterUi(
                    "${formats.integer(Math.round(ring.value))} of ${formats.integer(Math.round(ring.goal))} mL today",
                    // The core's fill (a goal of 0: full once met, that is once the day recorded something).
                    ring.fraction.toFloat(),
                )
            },
            socks = socks(view, zone, profile.cautions),
            message = message.text,
        )
    }

    /**
     * What the core's gate says against socks for [cautions]; asked again
     * only when the answers changed (Today is presented on every step counted).
     */
    private fun socksCaution(cautions: CompressionCautions): String? {
        caution?.takeIf { (answers, _) -> answers == cautions }?.let { return it.second }
        val said = (core.app.profile().compressionAdvice() as? CompressionAdvice.SeeDoctorFirst)?.let {
            "Your health answers say to ask a doctor first: ${it.reasons.joinToString("; ")}."
        }
        caution = cautions to said
        return said
    }

    private fun socksChoices() = garments.map { ChoiceUi(it.mmhg.toString(), it.label, it.mmhg == chosenMmhg) }

    /** "15–20 mmHg" for a band offered, else the class as recorded ("22 mmHg"). */
    private fun garmentLabel(mmhg: UInt) = garments.firstOrNull { it.mmhg == mmhg }?.label ?: "$mmhg mmHg"

    private fun ring(ring: Ring): RingUi? {
        val (kind, label, unit) = when (ring.kind) {
            CoreRing.STEPS -> Triple(RingKind.Steps, "Steps", "")
            CoreRing.ACTIVE_MINUTES -> Triple(RingKind.ActiveMinutes, "Active minutes", " min")
            CoreRing.PUMPED_LITRES -> Triple(RingKind.Pumped, "Litres pumped", " L")
            CoreRing.EXERCISE_SETS -> Triple(RingKind.Sets, "Calf-raise sets", "")
            CoreRing.HYDRATION -> return null
        }
        val value = if (kind == RingKind.Pumped) formats.litres(ring.value) else formats.integer(Math.round(ring.value))
        val goal = if (kind == RingKind.Pumped) formats.litres(ring.goal) else formats.integer(Math.round(ring.goal))
        // A goal of 0: the core's fill (full once met, that is once the day recorded something; it had been drawn full on an empty day).
        val fraction = if (ring.goal > 0) (ring.value / ring.goal).toFloat() else ring.fraction.toFloat()
        return RingUi(kind, label, value, "of $goal$unit", fraction, ring.met)
    }

    private companion object {
        /** A glass of water, mL. */
        const val GLASS_ML: UInt = 250u

        /** Taps of one button closer than this are one tap, ns. */
        const val SAME_TAP_NANOS = 1_000_000_000L
    }
}
