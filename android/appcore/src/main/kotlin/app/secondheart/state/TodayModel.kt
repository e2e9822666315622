package app.secondheart.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import uniffi.second_heart.Ring
import uniffi.second_heart.TodayView
import uniffi.second_heart.RingKind as CoreRing

/** Today: the core's TodayView, formatted. */
class TodayModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<TodayUi?>(null, scope, io) {
    override suspend fun refresh() {
        mutable.value = present(core.app.today().view())
    }

    override fun onError(message: String) {}

    /** Publishes a Today the core pushed after a change. */
    fun publish(view: TodayView) {
        mutable.value = present(view)
    }

    /** Formats [view] for the Today screen. */
    fun present(view: TodayView): TodayUi {
        val profile = core.app.profile().get()
        val now = core.now()
        val zone = core.zone()
        val rings = view.rings.mapNotNull { ring(it) }
        val pumped = view.rings.firstOrNull { it.kind == CoreRing.PUMPED_LITRES }?.value ?: 0.0
        val stretch = view.sitting.currentStretchMin?.toLong()
        val remindAfter = profile.remindAfterMin.toLong().coerceAtLeast(1)
        val sitting = when {
            stretch != null -> SittingUi(
                "Sitting for ${formats.minutes(stretch)}",
                (stretch.toFloat() / remindAfter).coerceIn(0f, 1f),
                stretch >= remindAfter,
            )
            view.sitting.totalMin > 0u -> SittingUi(
                "Sat ${formats.minutes(view.sitting.totalMin.toLong())} today, ${formats.plural(view.sitting.breaks.toLong(), "break")}",
                null,
                false,
            )
            else -> null
        }
        val sensor = view.sensors.firstOrNull()
        return TodayUi(
            date = formats.longDate(LocalDate.parse(view.date)),
            headline = if (pumped > 0) "Your calves pumped ${formats.litres(pumped)} L today" else "A short walk starts your calf pump",
            rings = rings,
            sitting = sitting,
            nextBreak = view.nextBreak?.let { "Next break ${formats.clock(it.dueAt, zone)} · ${it.title}" },
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
            flight = view.flightNext?.let { "Next on your flight, ${it.departureLocal}: ${it.text}" },
        )
    }

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
        val fraction = if (ring.goal > 0) (ring.value / ring.goal).toFloat() else 1f
        return RingUi(kind, label, value, "of $goal$unit", fraction, ring.met)
    }
}
