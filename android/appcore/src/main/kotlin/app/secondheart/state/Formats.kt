package app.secondheart.state

import java.text.NumberFormat
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.temporal.ChronoUnit
import java.util.Locale

/**
 * Numbers, times and durations as both apps write them: in [fixed], else in
 * the phone's locale as it is at each call, so a language changed while the
 * app runs (the process and its models live on) shows at the next read.
 */
class Formats(private val fixed: Locale? = null) {
    /** The locale written in now. */
    private val locale: Locale get() = fixed ?: Locale.getDefault()

    /**
     * One locale's formatters. A NumberFormat is not safe to share between
     * threads (the screens' reads, the sensor's frames and the core's
     * pushes format at once): one a thread. DateTimeFormatter is immutable
     * and shared.
     */
    private class Styles(val locale: Locale) {
        val integers: ThreadLocal<NumberFormat> = ThreadLocal.withInitial { NumberFormat.getIntegerInstance(locale) }
        val oneDecimal: ThreadLocal<NumberFormat> = ThreadLocal.withInitial {
            NumberFormat.getNumberInstance(locale).apply {
                maximumFractionDigits = 1
                minimumFractionDigits = 1
            }
        }
        val clock: DateTimeFormatter = DateTimeFormatter.ofPattern("HH:mm", locale)
        val day: DateTimeFormatter = DateTimeFormatter.ofPattern("EEEE d MMMM", locale)
        val weekday: DateTimeFormatter = DateTimeFormatter.ofPattern("EEE", locale)
        val dayMonth: DateTimeFormatter = DateTimeFormatter.ofPattern("d MMM", locale)
    }

    @Volatile private var current = Styles(locale)

    /** The formatters of the locale written in now, made afresh when it changed. */
    private fun styles(): Styles {
        val now = locale
        return current.takeIf { it.locale == now } ?: Styles(now).also { current = it }
    }

    /** "6,240". */
    fun integer(n: Long): String = styles().integers.get().format(n)

    /** "4.5": one decimal. */
    fun decimal(x: Double): String = styles().oneDecimal.get().format(x)

    /** "170" or "170.5": a measurement as a form shows it, to a tenth, without grouping. */
    fun measure(x: Double): String = NumberFormat.getNumberInstance(locale).apply {
        maximumFractionDigits = 1
        isGroupingUsed = false
    }.format(x)

    /** "0.95": an index such as the ankle–brachial, to a hundredth, as a form shows it. */
    fun index(x: Double): String = NumberFormat.getNumberInstance(locale).apply {
        minimumFractionDigits = 2
        maximumFractionDigits = 2
        isGroupingUsed = false
    }.format(x)

    /**
     * The measurement typed in [text] as this locale writes numbers
     * ("170.5", "170,5" in German, "١٧٠" in Arabic; no grouping), or as
     * digits with a point; null when it is not wholly one finite number.
     */
    fun parseMeasure(text: String): Double? =
        parse(text, NumberFormat.getNumberInstance(locale).apply { isGroupingUsed = false })
            ?: text.trim().takeIf { t -> t.all { it.isDigit() || it == '.' } }?.toDoubleOrNull()

    /**
     * The whole number typed in [text] ("9,000", "9000"; the locale's digits; "8 000" with an ordinary space
     * where the locale groups with a no-break one, as French does), or null.
     */
    fun parseWhole(text: String): Long? {
        val format = NumberFormat.getIntegerInstance(locale).apply { isParseIntegerOnly = true }
        val grouping = (format as? java.text.DecimalFormat)?.decimalFormatSymbols?.groupingSeparator
        val typed = if (grouping != null && grouping.isWhitespace()) text.replace(SPACES, grouping.toString()) else text
        return parse(typed, format)?.toLong()
    }

    private fun parse(text: String, format: NumberFormat): Double? {
        val trimmed = text.trim()
        // No exponents, infinities or "NaN": a person types digits.
        if (trimmed.isEmpty() || trimmed.any { it.isLetter() || it == '∞' }) return null
        val position = java.text.ParsePosition(0)
        val parsed = format.parse(trimmed, position)?.toDouble() ?: return null
        return parsed.takeIf { position.index == trimmed.length && it.isFinite() }
    }

    /** "182" for large volumes, "1.4" below ten litres. */
    fun litres(l: Double): String = if (l >= 10) styles().integers.get().format(Math.round(l)) else styles().oneDecimal.get().format(l)

    /** "45 min", "1 h 30 min", "2 h". */
    fun minutes(m: Long): String {
        val h = m / 60
        val rest = m % 60
        return when {
            h == 0L -> "$rest min"
            rest == 0L -> "$h h"
            else -> "$h h $rest min"
        }
    }

    /** A stopwatch: "12:04", "1:02:09". */
    fun stopwatch(seconds: Double): String {
        val s = seconds.toLong().coerceAtLeast(0)
        return if (s >= 3600) "%d:%02d:%02d".format(s / 3600, s / 60 % 60, s % 60) else "%d:%02d".format(s / 60, s % 60)
    }

    /** A countdown's "14:59" for the seconds left, rounded up: it starts at "15:00" and reads "0:00" only at its end. */
    fun countdown(secondsLeft: Double): String = stopwatch(kotlin.math.ceil(secondsLeft))

    /** "10:30" in [zone]. */
    fun clock(at: Instant, zone: ZoneId): String = styles().clock.format(at.atZone(zone))

    /** "Tuesday 1 December". */
    fun longDate(date: LocalDate): String = styles().day.format(date)

    /** "Tue". */
    fun weekday(date: LocalDate): String = styles().weekday.format(date)

    /** "1 Dec". */
    fun dayMonth(date: LocalDate): String = styles().dayMonth.format(date)

    /** "Mon 30 Nov", with the year when it is not [today]'s ("Wed 3 Dec 2025"). */
    fun shortDate(day: LocalDate, today: LocalDate): String =
        "${weekday(day)} ${dayMonth(day)}" + if (day.year != today.year) " ${day.year}" else ""

    /** [day] as a form's day picker shows it: "Today · Thu 3 Dec", "Yesterday · Wed 2 Dec", "Mon 30 Nov". */
    fun formDay(day: LocalDate, today: LocalDate): String {
        val date = shortDate(day, today)
        return when (ChronoUnit.DAYS.between(day, today)) {
            0L -> "Today · $date"
            1L -> "Yesterday · $date"
            else -> date
        }
    }

    /** How a message names [day]: nothing for [today], " yesterday", " tomorrow", " on Mon 30 Nov". */
    fun onDay(day: LocalDate, today: LocalDate): String = when (ChronoUnit.DAYS.between(day, today)) {
        0L -> ""
        1L -> " yesterday"
        -1L -> " tomorrow"
        else -> " on ${shortDate(day, today)}"
    }

    /**
     * The time of day a form's field gives, if it is one: "08:30", "8:30", "8.30", "8 30", "8h30" or "0830" (a
     * number pad may have no colon), in any script's digits ("٠٨:٣٠" from an Arabic keyboard).
     */
    fun parseClock(text: String): LocalTime? {
        val (hourText, minuteText) = FORM_TIME.matchEntire(text.trim())?.destructured ?: return null
        // Digits beyond the basic plane (𝟎𝟖:𝟑𝟎) match \p{Nd} but do not parse: refused, not thrown.
        val hour = hourText.toIntOrNull() ?: return null
        val minute = minuteText.toIntOrNull() ?: return null
        return if (hour < 24 && minute < 60) LocalTime.of(hour, minute) else null
    }

    /** "just now", "12 min ago", "3 h ago", "2 days ago". */
    fun ago(then: Instant, now: Instant): String {
        val d = Duration.between(then, now).coerceAtLeast(Duration.ZERO)
        return when {
            d.toMinutes() < 1 -> "just now"
            d.toMinutes() < 60 -> "${d.toMinutes()} min ago"
            d.toHours() < 24 -> "${d.toHours()} h ago"
            else -> plural(d.toDays(), "day") + " ago"
        }
    }

    /** "1 walk", "3 walks". */
    fun plural(n: Long, noun: String): String = if (n == 1L) "${integer(n)} $noun" else "${integer(n)} ${noun}s"

    /** The city of an IANA zone: "Europe/Berlin" → "Berlin", "America/Los_Angeles" → "Los Angeles". */
    fun city(zone: String): String = zone.substringAfterLast('/').replace('_', ' ')
}

/** A form's time of day (see [Formats.parseClock]). */
private val FORM_TIME = Regex("""(\p{Nd}{1,2})\s*[:.h ]?\s*(\p{Nd}{2})""")

/** The spaces a person may type between a number's groups: the space bar's, and the no-break ones a paste brings. */
private val SPACES = Regex("[ \u00A0\u202F]")
