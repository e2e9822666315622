package app.secondheart.core

import java.text.NumberFormat
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.util.Locale
import uniffi.second_heart.DaySummary

/** The "Today" card on the home screen, as display strings. */
data class TodayCard(
    /** "Saturday 21 November". */
    val title: String,
    /** "3,200 steps". */
    val steps: String,
    /** "1 h 30 min walking". */
    val walking: String,
    /** "2 walks". */
    val walks: String,
) {
    companion object {
        /** Formats [summary] for [locale]. */
        fun from(summary: DaySummary, locale: Locale = Locale.getDefault()): TodayCard {
            val date = LocalDate.parse(summary.date)
            val count = NumberFormat.getIntegerInstance(locale)
            return TodayCard(
                title = date.format(DateTimeFormatter.ofPattern("EEEE d MMMM", locale)),
                steps = plural(count.format(summary.steps.toLong()), summary.steps.toLong(), "step"),
                walking = "${minutesText(summary.activeSeconds.toLong())} walking",
                walks = plural(count.format(summary.walks.toLong()), summary.walks.toLong(), "walk"),
            )
        }

        private fun plural(text: String, count: Long, noun: String) =
            if (count == 1L) "$text $noun" else "$text ${noun}s"

        private fun minutesText(seconds: Long): String {
            val minutes = (seconds + 30) / 60
            val hours = minutes / 60
            val rest = minutes % 60
            return when {
                hours == 0L -> "$rest min"
                rest == 0L -> "$hours h"
                else -> "$hours h $rest min"
            }
        }
    }
}
