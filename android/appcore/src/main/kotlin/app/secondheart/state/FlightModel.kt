package app.secondheart.state

import java.time.Instant
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.time.format.ResolverStyle
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.update
import uniffi.second_heart.FlightDetails
import uniffi.second_heart.FlightEnd
import uniffi.second_heart.FlightPlan
import uniffi.second_heart.Seat
import uniffi.second_heart.flightRiskFactors
import uniffi.second_heart.flightRiskQuestions

/**
 * Flight: a plan from the flight's details and the risk questions; its
 * timeline in both zones. Its actions run in order: a reload that read no
 * started flight just before Start was stored cannot publish the empty
 * form after the started flight.
 */
class FlightModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<FlightUi>(FlightUi(null, null, "", "", emptyList(), null, null), scope, io, serialActions = true) {
    private var planned: FlightPlan? = null
    private var details: FlightDetails? = null

    /** "New plan" tapped while a flight is started (a connection's next leg): the form, not the started flight. */
    private var planningAnother = false

    /** The take-off of the started flight Cancel flight was tapped on, not yet confirmed or dismissed. */
    private var cancelling: Instant? = null

    /** The started flight shown: the one Cancel flight asks about. */
    private var shownStarted: FlightPlan? = null

    /** The form as last submitted, to fill it again. */
    var form: FlightForm = FlightForm()
        private set

    /** The risk check's questions, the core's, in the order to ask them. */
    val questions: List<QuestionUi> = flightRiskQuestions().map { QuestionUi(it.key, it.text) }

    /**
     * The data was replaced (a restore, everything deleted): the plan made and not started, the form as last
     * submitted (its health answers: a pregnancy, a clot) and a question asked are of data no longer there. Kept,
     * Start flight would write the plan back into an emptied database.
     */
    internal fun dataReplaced() = act {
        planned = null
        details = null
        planningAnother = false
        cancelling = null
        form = FlightForm()
        refresh()
    }

    /** The started flight until it lands (from the gate on), else (or when planning another) the plan being made. */
    override suspend fun refresh() = read(said = null)

    /**
     * Reads the flight and shows it. [said] (a started flight's take-off and
     * what the screen said of it) stays on screen while that flight is shown.
     */
    private fun read(said: Pair<Instant, String>?) {
        val started = core.app.flights().notLanded()
        if (started == null) planningAnother = false
        // A started flight's next item, its timeline's "now" and its landing move with the clock: read each
        // minute while it is shown (not while another leg's form is).
        tick(started != null && !planningAnother, everyMillis = 60_000)
        if (planningAnother || started == null) {
            publish(planned, false)
        } else {
            publish(started, true, said?.takeIf { it.first == started.departure }?.second)
        }
    }

    private fun publish(plan: FlightPlan?, inProgress: Boolean, message: String? = null) {
        shownStarted = plan?.takeIf { inProgress }
        // Another flight shown now (the one asked about landed): the question no longer stands.
        if (cancelling != shownStarted?.departure) cancelling = null
        if (plan == null) {
            mutable.value = FlightUi(null, null, "", "", emptyList(), null, message)
            return
        }
        val now = core.now()
        val hours = java.time.Duration.between(plan.departure, plan.arrival).toMinutes()
        // The core's next item of the started flight, as iOS and Today show it.
        val next = if (inProgress) core.app.flights().nextItem() else null
        mutable.value = FlightUi(
            title = "${formats.city(plan.departureZone)} → ${formats.city(plan.arrivalZone)} · ${formats.minutes(hours)}",
            risk = buildString {
                append(plan.risk.label.replaceFirstChar { it.uppercase() })
                if (plan.risk.factors.isNotEmpty()) append(": ").append(plan.risk.factors.joinToString(", "))
                append(".")
                if (plan.risk.talkToDoctor) append(" Talk to your doctor before you fly.")
            },
            riskNote = plan.risk.populationNote,
            homeZone = formats.city(plan.departureZone),
            awayZone = formats.city(plan.arrivalZone),
            timeline = plan.schedule.map { item ->
                TimelineItemUi(
                    homeTime = item.departureLocal.takeLast(5),
                    awayTime = item.arrivalLocal.takeLast(5),
                    title = item.title,
                    detail = item.text,
                    state = when {
                        !inProgress || item.at.isAfter(now) && item != next -> TimelineState.Later
                        item == next -> TimelineState.Now
                        else -> TimelineState.Done
                    },
                )
            },
            next = if (inProgress) next?.let { "Next at ${it.departureLocal.takeLast(5)}: ${it.text}" } else null,
            message = message,
            started = inProgress,
            confirmingCancel = cancelling != null,
        )
    }

    override fun onError(message: String) {
        // A cancel refused closes its dialog: the words would sit behind it.
        mutable.update { it.copy(message = message, confirmingCancel = cancelling != null) }
    }

    /** Plans the flight in [form] (not saved until started). */
    fun plan(form: FlightForm) = act {
        this.form = form
        val parsed = try {
            details(form)
        } catch (e: IllegalArgumentException) {
            onError(e.message ?: "Check the flight's times and zones.")
            return@act
        }
        val plan = core.app.flights().plan(parsed)
        details = parsed
        planned = plan
        publish(plan, false)
    }

    /** Starts the planned flight: reminders follow it, and the screen shows it until it lands. */
    fun start() = act {
        val d = details ?: return@act
        val started = core.app.flights().start(d)
        planned = null
        details = null
        planningAnother = false
        publish(started, true)
        tick(true, everyMillis = 60_000)
    }

    /**
     * The minute's read keeps what the screen said (a refused cancel) while
     * the same flight is shown: only the flight moves, and the words stay on
     * screen throughout. Once it has landed (the form back), what was said of
     * it goes.
     */
    override suspend fun onTick() {
        val said = mutable.value.message
        val shown = shownStarted?.departure
        read(if (said != null && shown != null) shown to said else null)
    }

    /** Asks whether to cancel the started flight shown. */
    fun askCancel() = act {
        cancelling = shownStarted?.departure
        refresh()
    }

    /** Keeps the started flight asked about. */
    fun keepFlight() = act {
        cancelling = null
        refresh()
    }

    /**
     * Cancels the started flight asked about, once confirmed: its reminders
     * stop, and the zone changes it set ahead are forgotten. A second tap,
     * or a flight landed meanwhile, cancels no other.
     */
    fun cancelFlight() = act {
        val departure = cancelling ?: return@act
        try {
            core.app.flights().cancel(departure)
        } finally {
            cancelling = null
        }
        planningAnother = false
        // Back to the form: another started leg, if any, shows instead.
        refresh()
    }

    /** Drops the plan shown for an empty form; a started flight stays started (and reminding) until it lands. */
    fun clear() = act {
        planned = null
        details = null
        planningAnother = core.app.flights().notLanded() != null
        refresh()
    }

    private fun details(form: FlightForm): FlightDetails {
        val departure = airportTime(FlightEnd.TAKE_OFF, form.depart, form.from, "departure")
        // A landing typed without its date ("06:40", as a boarding pass prints it) is the first such time after take-off.
        val arrive = form.arrive.trim()
        val arrival = if (CLOCK.matches(arrive)) {
            core.app.flights().landingAt(arrive, form.to.trim(), departure)
        } else {
            airportTime(FlightEnd.LANDING, arrive, form.to, "arrival")
        }
        return FlightDetails(
            departure = departure,
            departureZone = form.from.trim(),
            arrival = arrival,
            hours = null,
            arrivalZone = form.to.trim(),
            seat = when (form.seat) {
                "window" -> Seat.WINDOW
                "middle" -> Seat.MIDDLE
                else -> Seat.AISLE
            },
            moveEveryMin = form.moveEveryMin.toUInt(),
            sleep = form.sleep.trim().ifEmpty { null },
            riskFactors = flightRiskFactors(form.risks.toList()),
        )
    }

    /**
     * The instant [text] ("2026-12-05 10:00") names on the clocks of [zone]: the core reads it, with the zone
     * data the plan is made with (a time the clocks skip there is refused).
     */
    private fun airportTime(end: FlightEnd, text: String, zone: String, what: String): Instant {
        val time = try {
            LocalDateTime.parse(text.trim(), FORM_TIME)
        } catch (e: DateTimeParseException) {
            throw IllegalArgumentException("The $what time \"$text\" should look like 2026-12-05 10:00, on a date the calendar has${if (end == FlightEnd.LANDING) " (or 06:40 alone: the first 06:40 after take-off)" else ""}.")
        }
        return core.app.flights().airportTime(end, time.toLocalDate().toString(), time.format(CLOCK_TIME), zone.trim())
    }

    private companion object {
        /** Strict: 30 February is refused, not read as the 28th. */
        val FORM_TIME: DateTimeFormatter = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withResolverStyle(ResolverStyle.STRICT)

        /** The clock part the core reads. */
        val CLOCK_TIME: DateTimeFormatter = DateTimeFormatter.ofPattern("HH:mm")

        /** A clock time alone, "06:40" or "6:40": a landing typed without its date. */
        val CLOCK = Regex("""\d{1,2}:\d{2}""")
    }
}
