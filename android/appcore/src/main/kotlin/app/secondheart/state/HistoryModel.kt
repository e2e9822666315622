package app.secondheart.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.update
import uniffi.second_heart.Grouping
import uniffi.second_heart.HourTotals

/**
 * History: today by the hour, the last 7 days, the last 30 days. Its reads
 * are done in the order asked (a reload asked before a change of range does
 * not publish last), and one that fails says why.
 */
class HistoryModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<HistoryUi>(HistoryUi(HistoryRange.Week, "", emptyList()), scope, io, serialActions = true) {
    private var range = HistoryRange.Week

    override suspend fun refresh() {
        mutable.value = when (range) {
            HistoryRange.Day -> day()
            HistoryRange.Week -> days(7)
            HistoryRange.Month -> days(30)
        }
    }

    override fun onError(message: String) {
        // Nothing of another range under this one's name.
        mutable.update { it.copy(range = range, period = "", charts = emptyList(), message = message) }
    }

    /** Shows [range]. */
    fun show(range: HistoryRange) = act {
        this.range = range
        refresh()
    }

    private fun day(): HistoryUi {
        val today = core.today()
        val byHour = core.app.history().dayByHour(today.toString())
        fun hours(f: (HourTotals) -> UInt) = byHour.map { h ->
            val hour = h.localHour.toInt()
            BarUi(if (hour % 6 == 0) "%02d".format(hour) else "", f(h).toFloat())
        }
        val steps = hours { it.steps }
        val sitting = hours { it.sittingMinutes }
        val pumps = hours { it.contractions }
        return HistoryUi(
            HistoryRange.Day,
            formats.longDate(today),
            listOf(
                ChartUi("Steps by the hour", "${formats.integer(steps.sumOf { it.value.toLong() })} steps today", steps, null, RingKind.Steps),
                ChartUi("Calf contractions by the hour", "${formats.integer(pumps.sumOf { it.value.toLong() })} calf contractions", pumps, null, RingKind.Pumped),
                ChartUi("Sitting by the hour", "${formats.minutes(sitting.sumOf { it.value.toLong() })} seated and still", sitting, 60f, null),
            ),
        )
    }

    private fun days(count: Int): HistoryUi {
        val periods = core.app.history().periods(Grouping.DAY, count.toUInt()).sortedBy { it.first }
        val profile = core.app.profile().get()
        // A week names every day; a month every seventh, so that the labels stay readable.
        fun label(index: Int, p: uniffi.second_heart.Period): String {
            val date = LocalDate.parse(p.first)
            return when {
                count <= 7 -> formats.weekday(date)
                index % 7 == 0 -> date.dayOfMonth.toString()
                else -> ""
            }
        }
        // The core's average day: each figure over the days it was recorded on (as on iOS).
        val average = core.app.history().dailyAverages(count.toUInt())
        val steps = periods.mapIndexed { i, p -> BarUi(label(i, p), p.steps.toFloat(), p.importedSteps.toFloat()) }
        val imported = periods.sumOf { it.importedSteps.toLong() }
        val active = periods.mapIndexed { i, p -> BarUi(label(i, p), p.activeMinutes.toFloat()) }
        val pumped = periods.mapIndexed { i, p -> BarUi(label(i, p), p.pumpedLitres.toFloat()) }
        val sitting = periods.mapIndexed { i, p -> BarUi(label(i, p), p.sittingMinutes.toFloat() / 60f) }
        val first = periods.firstOrNull()?.let { LocalDate.parse(it.first) }
        val last = periods.lastOrNull()?.let { LocalDate.parse(it.first) }
        return HistoryUi(
            if (count <= 7) HistoryRange.Week else HistoryRange.Month,
            if (first != null && last != null) "${formats.dayMonth(first)} – ${formats.dayMonth(last)}" else "",
            listOf(
                ChartUi("Steps", onAverage(formats.integer(Math.round(average.steps)), average.days), steps, profile.stepsGoal.toFloat(), RingKind.Steps, importedNote(imported)),
                ChartUi("Active minutes", onAverage("${formats.integer(Math.round(average.activeMinutes))} min", average.minuteDays), active, profile.activeMinutesGoal.toFloat(), RingKind.ActiveMinutes),
                ChartUi("Litres pumped", onAverage("${formats.litres(average.pumpedLitres)} L", average.days), pumped, profile.pumpedLitresGoal.toFloat(), RingKind.Pumped),
                ChartUi("Hours sitting", onAverage(formats.minutes(Math.round(average.sittingMinutes)), average.minuteDays), sitting, null, null),
            ),
        )
    }

    /**
     * "7,954 a day on average over 6 days": the core's average, with the days it is over (today under way
     * counts only when no earlier day recorded the figure, and a day of imported steps holds no minutes).
     */
    private fun onAverage(figure: String, days: UInt): String =
        if (days == 0u) "Nothing recorded yet" else "$figure a day on average over ${formats.plural(days.toLong(), "day")}"

    /** What the lighter part of the steps bars is, when there is one. */
    private fun importedNote(steps: Long): String? =
        if (steps > 0) "Includes ${formats.integer(steps)} steps imported from a file (the lighter part of a bar)" else null
}
