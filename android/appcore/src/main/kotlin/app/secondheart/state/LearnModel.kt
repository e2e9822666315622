package app.secondheart.state

import app.secondheart.core.compute
import kotlin.math.roundToInt
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.FlowPreview
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.debounce
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import uniffi.second_heart.ChartPoint
import uniffi.second_heart.Legs
import uniffi.second_heart.ModelRequest
import uniffi.second_heart.ModelResult
import uniffi.second_heart.PumpModel
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SitBreak
import uniffi.second_heart.SitBreaks
import uniffi.second_heart.SitRun
import uniffi.second_heart.Valves
import uniffi.second_heart.WalkRun

/** What the user set on Learn. [breakEveryMin] 0 means no breaks. */
data class LearnInputs(
    val speedKmh: Double = 4.0,
    val sittingHours: Double = 4.0,
    val breakEveryMin: Int = 30,
    val breakKind: SitBreak = SitBreak.CALF_RAISES,
    val stockingsMmhg: Double = 0.0,
    val valves: Valves = Valves.COMPETENT,
)

/**
 * Learn: the core's pump model run for the inputs the user sets. A slider
 * moves the input at once; the model runs on the library's threads once
 * the input rests for [settleMillis], and only the runs the change
 * touches are made again (speed: the walk; sitting and breaks: the sitting
 * runs; stockings and valves: both). A newer input cancels the runs of an
 * older one (the core stops them part-way), so the charts follow the
 * slider however fast it moves.
 */
@OptIn(FlowPreview::class)
class LearnModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    settleMillis: Long = 150,
) : ScreenModel<LearnUi>(ui(LearnInputs(), null, null, null, running = true, message = null, formats), scope, io) {
    private val inputs = MutableStateFlow(LearnInputs())
    private val runs = Mutex()
    private var walk: Pair<WalkKey, WalkRun>? = null
    private var still: Pair<SitKey, SitRun>? = null
    private var withBreaks: Pair<SitKey, SitRun>? = null

    init {
        scope.launch {
            inputs.drop(1).debounce(settleMillis).collectLatest { wanted ->
                withContext(io) {
                    try {
                        compute(wanted)
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        // Any failure, the core's typed errors or not (a panic is UniFFI's InternalException):
                        // said on the screen, the spinner stopped, the sliders still answering.
                        onError(userMessage(e))
                    }
                }
            }
        }
    }

    /** The inputs as they stand. */
    val current: LearnInputs get() = inputs.value

    override suspend fun refresh() = compute(inputs.value)

    override fun onError(message: String) {
        mutable.update { it.copy(running = false, message = message) }
    }

    /** Moves slider [input] to [value] (snapped to its stops). */
    fun set(input: LearnInput, value: Float) = change {
        when (input) {
            LearnInput.WalkingSpeed -> it.copy(speedKmh = snap(value, SPEED).toDouble())
            LearnInput.SittingHours -> it.copy(sittingHours = snap(value, HOURS).toDouble())
            LearnInput.BreakEvery -> it.copy(breakEveryMin = snap(value, BREAKS).roundToInt())
            LearnInput.Stockings -> it.copy(stockingsMmhg = snap(value, STOCKINGS).toDouble())
        }
    }

    /** Chooses which valves hold, by the id of [valveChoices]. */
    fun chooseValves(id: String) = change { it.copy(valves = Valves.valueOf(id)) }

    /** Chooses what each break is, by the id of [breakChoices]. */
    fun chooseBreak(id: String) = change { it.copy(breakKind = SitBreak.valueOf(id)) }

    private fun change(edit: (LearnInputs) -> LearnInputs) {
        val next = edit(inputs.value)
        if (next == inputs.value) return
        inputs.value = next
        // The controls answer at once; the charts follow when the model has run.
        publish(next, running = true)
    }

    /** Runs what [wanted] needs that is not run yet, then publishes. */
    private suspend fun compute(wanted: LearnInputs) = runs.withLock {
        // The user's legs as the profile has them now: a height or sex changed in Settings runs the charts again.
        val legs = core.app.pumpModel().use { it.legs() }
        val walkKey = WalkKey(legs, wanted.speedKmh, wanted.stockingsMmhg, wanted.valves)
        if (walk?.first != walkKey) walk = walkKey to runWalk(walkKey)
        val stillKey = SitKey(legs, wanted.sittingHours, 0, wanted.breakKind, wanted.stockingsMmhg, wanted.valves)
        if (still?.first?.sameStretch(stillKey) != true) still = stillKey to runSit(stillKey)
        val breaksKey = stillKey.copy(breakEveryMin = wanted.breakEveryMin)
        withBreaks = when {
            breaksKey.breakEveryMin == 0 -> null
            withBreaks?.first == breaksKey -> withBreaks
            else -> breaksKey to runSit(breaksKey)
        }
        // The controls as the user left them: the runs of a change made
        // while they ran (a refresh's, which no newer input cancels) show
        // their charts, not their inputs, until the newer runs' come.
        publish(inputs.value, running = wanted != inputs.value)
    }

    /** The user's [legs] (height and sex from the profile) with the valves and stocking set on Learn. */
    private fun model(legs: Legs, stockingsMmhg: Double, valves: Valves): PumpModel =
        PumpModel(legs.copy(valves = valves, refluxSeverity = 1.0, compressionMmhg = stockingsMmhg), CHART_POINTS)

    private suspend fun runWalk(key: WalkKey): WalkRun =
        (run(key.legs, key.stockingsMmhg, key.valves, ModelRequest.Walk(key.speedKmh, WALK_MINUTES)) as ModelResult.Walk).run

    private suspend fun runSit(key: SitKey): SitRun {
        val breaks = if (key.breakEveryMin > 0) SitBreaks(key.breakEveryMin.toUInt(), key.breakKind) else null
        return (run(key.legs, key.stockingsMmhg, key.valves, ModelRequest.Sit(key.sittingHours, breaks)) as ModelResult.Sit).run
    }

    /** [request] run on the model of [legs] with the stocking and valves set on Learn; cancelled with the calling coroutine. */
    private suspend fun run(legs: Legs, stockingsMmhg: Double, valves: Valves, request: ModelRequest): ModelResult =
        model(legs, stockingsMmhg, valves).use { it.compute(request) }

    private fun publish(shown: LearnInputs, running: Boolean) {
        val (walkFigures, stillFigures, breakFigures) = Triple(walk?.second, still?.second, withBreaks?.second)
        mutable.value = ui(shown, walkFigures, stillFigures, breakFigures, running, message = null, formats)
    }

    private data class WalkKey(val legs: Legs, val speedKmh: Double, val stockingsMmhg: Double, val valves: Valves)

    private data class SitKey(val legs: Legs, val sittingHours: Double, val breakEveryMin: Int, val breakKind: SitBreak, val stockingsMmhg: Double, val valves: Valves) {
        /** The same stretch without breaks (the kind of break does not matter then). */
        fun sameStretch(other: SitKey) =
            legs == other.legs && sittingHours == other.sittingHours && stockingsMmhg == other.stockingsMmhg && valves == other.valves
    }
}

/** A slider's range and stops. */
private class Stops(val min: Float, val max: Float, val step: Float) {
    /** Stops strictly between [min] and [max], as a Slider counts them. */
    val between: Int get() = ((max - min) / step).roundToInt() - 1
}

private val SPEED = Stops(2f, 7f, 0.5f)
private val HOURS = Stops(1f, 12f, 1f)
private val BREAKS = Stops(0f, 120f, 15f)
private val STOCKINGS = Stops(0f, 40f, 5f)

/** The walk each chart shows: 5 minutes, between two stretches of standing still. */
private const val WALK_MINUTES = 5.0

/** Points in each chart: about one per two pixels across a phone. */
private const val CHART_POINTS = 300u

private fun snap(value: Float, stops: Stops): Float =
    (Math.round((value.coerceIn(stops.min, stops.max) - stops.min) / stops.step) * stops.step + stops.min)

private fun ui(
    shown: LearnInputs,
    walk: WalkRun?,
    still: SitRun?,
    breaks: SitRun?,
    running: Boolean,
    message: String?,
    formats: Formats,
): LearnUi {
    val speed = formats.decimal(shown.speedKmh)
    return LearnUi(
        walking = LearnInputUi(LearnInput.WalkingSpeed, "Walking speed", shown.speedKmh.toFloat(), SPEED.min, SPEED.max, SPEED.between, "$speed km/h"),
        pressure = walk?.let { pressureChart(it, speed) },
        volume = walk?.let { volumeChart(it, formats) },
        sitting = listOf(
            LearnInputUi(
                LearnInput.SittingHours, "Hours sitting", shown.sittingHours.toFloat(), HOURS.min, HOURS.max, HOURS.between,
                formats.minutes((shown.sittingHours * 60).roundToInt().toLong()),
            ),
            LearnInputUi(
                LearnInput.BreakEvery, "A break", shown.breakEveryMin.toFloat(), BREAKS.min, BREAKS.max, BREAKS.between,
                if (shown.breakEveryMin == 0) "never" else "every ${formats.minutes(shown.breakEveryMin.toLong())}",
            ),
        ),
        breakKinds = SitBreak.entries.map { ChoiceUi(it.name, breakLabel(it), it == shown.breakKind) },
        swelling = still?.let { swellingChart(shown, it, breaks, formats) },
        stockings = LearnInputUi(
            LearnInput.Stockings, "Compression stockings", shown.stockingsMmhg.toFloat(), STOCKINGS.min, STOCKINGS.max, STOCKINGS.between,
            if (shown.stockingsMmhg == 0.0) "none" else "${shown.stockingsMmhg.roundToInt()} mmHg",
        ),
        valves = Valves.entries.map { ChoiceUi(it.name, valvesLabel(it), it == shown.valves) },
        running = running,
        message = message,
    )
}

private fun breakLabel(kind: SitBreak) = when (kind) {
    SitBreak.WALK -> "5-minute walk"
    SitBreak.CALF_RAISES -> "20 calf raises"
    SitBreak.ANKLE_PUMPS -> "30 ankle pumps"
}

private fun valvesLabel(valves: Valves) = when (valves) {
    Valves.COMPETENT -> "Valves hold"
    Valves.SUPERFICIAL_REFLUX -> "Surface veins leak"
    Valves.DEEP_REFLUX -> "Deep veins leak"
}

/** Ticks every [every] units of [unit] seconds over [seconds], labelled "0", "5 min", "10 min"… */
private fun ticks(seconds: Double, every: Int, unit: Double, suffix: String): List<TickUi> {
    if (seconds <= 0) return emptyList()
    return (0..(seconds / unit).toInt() step every).map { n ->
        TickUi(if (n == 0) "0" else "$n $suffix", (n * unit / seconds).toFloat())
    }
}

/** Ticks on whole minutes for a walk's chart: every 5 minutes (2 under 10 minutes). */
private fun minuteTicks(seconds: Double) = ticks(seconds, if (seconds < 600) 2 else 5, 60.0, "min")

/** Ticks on whole hours for a sitting chart, at most six. */
private fun hourTicks(seconds: Double) = ticks(seconds, ((seconds / 3600 + 5) / 6).toInt().coerceAtLeast(1), 3600.0, "h")

private fun pressureChart(r: WalkRun, speed: String): ModelChartUi {
    val standing = r.walkingAvpMmhg + r.avpDropMmhg
    return ModelChartUi(
        title = "Pressure at your ankle",
        unit = "mmHg",
        series = listOf(SeriesUi("Ankle vein pressure", r.series.map { it.ankleVenousPressureMmhg.toFloat() })),
        xTicks = minuteTicks(r.series.lastOrNull()?.tS ?: 0.0),
        answer = "Standing still, the blood above weighs on your ankle: ${standing.roundToInt()} mmHg. " +
            "Walking at $speed km/h, each step empties the calf and the pressure falls to ${r.walkingAvpMmhg.roundToInt()} mmHg. " +
            "When you stop it climbs back in ${r.refillTimeS.roundToInt()} s.",
    )
}

private fun volumeChart(r: WalkRun, formats: Formats): ModelChartUi {
    return ModelChartUi(
        title = "Blood in your calf veins",
        unit = "mL",
        series = listOf(SeriesUi("Calf vein blood, one leg", r.series.map { it.calfVenousVolumeMl.toFloat() })),
        xTicks = minuteTicks(r.series.lastOrNull()?.tS ?: 0.0),
        answer = "Each step sends ${formats.decimal(r.ejectedMlPerStep)} mL up from each calf; " +
            "the 5-minute walk pumped ${formats.litres(r.pumpedMl / 1000)} L towards your heart.",
    )
}

/** Fluid gone from the blood into the calf's tissue since the first sample, mL (the swelling). */
private fun swelling(series: List<ChartPoint>): List<Float> {
    val start = series.firstOrNull()?.calfTissueExcessMl ?: 0.0
    return series.map { (it.calfTissueExcessMl - start).toFloat() }
}

private fun swellingChart(shown: LearnInputs, still: SitRun, breaks: SitRun?, formats: Formats): ModelChartUi {
    val hours = formats.minutes((shown.sittingHours * 60).roundToInt().toLong())
    val without = swelling(still.series)
    val with = breaks?.let { swelling(it.series) }
    val lines = listOfNotNull(
        SeriesUi("No breaks", without),
        with?.let { SeriesUi("A break every ${formats.minutes(shown.breakEveryMin.toLong())}", it) },
    )
    val answer = buildString {
        append("After $hours in a seat, ${(without.lastOrNull() ?: 0f).roundToInt()} mL of fluid has seeped into the tissue of each calf: the ankles swell. ")
        if (with != null) {
            append("With ${breakLabel(shown.breakKind).lowercase()} every ${formats.minutes(shown.breakEveryMin.toLong())}: ${(with.lastOrNull() ?: 0f).roundToInt()} mL.")
        } else {
            append("Set a break to see what moving does.")
        }
    }
    return ModelChartUi(
        title = "Swelling while you sit",
        unit = "mL",
        series = lines,
        xTicks = hourTicks(still.series.lastOrNull()?.tS ?: (shown.sittingHours * 3600)),
        answer = answer,
    )
}
