package app.secondheart.core

import java.text.NumberFormat
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.util.Locale
import uniffi.second_heart.RingKind
import uniffi.second_heart.TodayView

/** The "Today" card on the home screen, as display strings in the user's locale. */
data class TodayCard(
    /** "Saturday 21 November". */
    val title: String,
    /** "3,200 of 7,000 steps". */
    val steps: String,
    /** "25 of 30 active minutes". */
    val active: String,
    /** "1.5 of 50 litres pumped". */
    val pumped: String,
) {
    companion object {
        /** Formats [today] for [locale]; the numbers come from the core as they are. */
        fun from(today: TodayView, locale: Locale = Locale.getDefault()): TodayCard {
            val date = LocalDate.parse(today.date)
            val count = NumberFormat.getIntegerInstance(locale)
            val litres = NumberFormat.getNumberInstance(locale).apply { maximumFractionDigits = 1 }
            fun ring(kind: RingKind) = today.rings.first { it.kind == kind }
            val steps = ring(RingKind.STEPS)
            val active = ring(RingKind.ACTIVE_MINUTES)
            val pumped = ring(RingKind.PUMPED_LITRES)
            return TodayCard(
                title = date.format(DateTimeFormatter.ofPattern("EEEE d MMMM", locale)),
                steps = "${count.format(steps.value)} of ${count.format(steps.goal)} steps",
                active = "${count.format(active.value)} of ${count.format(active.goal)} active minutes",
                pumped = "${litres.format(pumped.value)} of ${litres.format(pumped.goal)} litres pumped",
            )
        }
    }
}
