import Foundation

/// Numbers, times and durations as both apps write them (the same words as
/// `Formats` in android/appcore), in the user's locale.
enum Formats {
    /// "6,240".
    static func integer<N: BinaryInteger>(_ n: N) -> String {
        Int64(n).formatted(.number)
    }

    /// "170" or "170.5": a measurement as a form shows it, to a tenth, without grouping.
    static func measure(_ x: Double) -> String {
        x.formatted(.number.precision(.fractionLength(0...1)).grouping(.never))
    }

    /// "0.95": an index such as the ankle–brachial, to a hundredth, as a form shows it.
    static func index(_ x: Double) -> String {
        x.formatted(.number.precision(.fractionLength(2)).grouping(.never))
    }

    /// The measurement typed in `text` as the user's locale writes numbers
    /// ("170.5", "170,5" in German, "١٧٠٫٥" in Arabic; no grouping), or as
    /// digits with a point; nil when it is not wholly one finite number.
    static func parseMeasure(_ text: String) -> Double? {
        func read(in locale: Locale) -> Double? {
            let format = NumberFormatter()
            format.locale = locale
            format.numberStyle = .decimal
            format.usesGroupingSeparator = false
            return parse(text, format)
        }
        return read(in: .current) ?? read(in: Locale(identifier: "en_US_POSIX"))
    }

    /// The whole number typed in `text` ("9,000", "9000"; the locale's
    /// digits), or nil: with a decimal separator it is not one ("8.000" in
    /// English is eight and a fraction, not eight thousand).
    static func parseWhole(_ text: String) -> Int64? {
        let format = NumberFormatter()
        format.locale = .current
        format.numberStyle = .decimal
        guard !text.contains(format.decimalSeparator) else { return nil }
        // "8 000" typed with an ordinary space where the locale groups with
        // a no-break one (French), as on Android.
        let grouping = format.groupingSeparator ?? ""
        let typed = !grouping.isEmpty && grouping.allSatisfy(\.isWhitespace)
            ? text.replacingOccurrences(of: "[ \u{00A0}\u{202F}]", with: grouping, options: .regularExpression) : text
        return parse(typed, format).flatMap { Int64(exactly: $0) }
    }

    /// The number `format` reads in the whole of `text`, if it is finite.
    private static func parse(_ text: String, _ format: NumberFormatter) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // No exponents, infinities or "NaN": a person types digits.
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0.isLetter || $0 == "∞" }),
              let value = format.number(from: trimmed)?.doubleValue, value.isFinite else { return nil }
        return value
    }

    /// "182" for large volumes, "1.4" below ten litres.
    static func litres(_ l: Double) -> String {
        l >= 10 ? l.formatted(.number.precision(.fractionLength(0)))
            : l.formatted(.number.precision(.fractionLength(1)))
    }

    /// "45 min", "1 h 30 min", "2 h".
    static func minutes<N: BinaryInteger>(_ total: N) -> String {
        let m = Int64(total)
        let (h, rest) = (m / 60, m % 60)
        if h == 0 { return "\(rest) min" }
        return rest == 0 ? "\(h) h" : "\(h) h \(rest) min"
    }

    /// A countdown's "14:59" for the seconds left, rounded up: it starts at
    /// "15:00" and reads "0:00" only at its end (as on Android).
    static func countdown(_ secondsLeft: Double) -> String {
        stopwatch(secondsLeft.rounded(.up))
    }

    /// A stopwatch: "12:04", "1:02:09".
    static func stopwatch(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// "10:30" in `zone` (an IANA name; the phone's zone when unknown).
    static func clock(_ at: Date, zone: String? = nil) -> String {
        var style = Date.FormatStyle(date: .omitted, time: .shortened)
        if let zone, let tz = TimeZone(identifier: zone) { style.timeZone = tz }
        return at.formatted(style)
    }

    /// "Tuesday 1 December" from "2026-12-01".
    static func longDate(_ date: String) -> String {
        guard let day = Formats.day(date) else { return date }
        return day.formatted(.dateTime.weekday(.wide).day().month(.wide))
    }

    /// "Tue" from "2026-12-01".
    static func weekday(_ date: String) -> String {
        Formats.day(date)?.formatted(.dateTime.weekday(.abbreviated)) ?? date
    }

    /// "1 Dec" from "2026-12-01".
    static func dayMonth(_ date: String) -> String {
        Formats.day(date)?.formatted(.dateTime.day().month(.abbreviated)) ?? date
    }

    /// How a message names `day` (`YYYY-MM-DD`): nothing for `today`,
    /// " yesterday", " tomorrow", " on Mon 30 Nov", with the year when it
    /// is not today's (" on Thu 31 Dec 2026"), as Android's `Formats.onDay`.
    static func onDay(_ day: String, today: String) -> String {
        if day == today { return "" }
        if day == daysBefore(today, 1) { return " yesterday" }
        if day == daysBefore(today, -1) { return " tomorrow" }
        // ISO days: the year is the first four characters.
        let year = day.prefix(4) == today.prefix(4) ? "" : " \(day.prefix(4))"
        return " on \(weekday(day)) \(dayMonth(day))\(year)"
    }

    /// "just now", "12 min ago", "3 h ago", "2 days ago".
    static func ago(_ then: Date, now: Date = Date()) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(then) / 60))
        switch minutes {
        case 0: return "just now"
        case 1..<60: return "\(minutes) min ago"
        case 60..<1440: return "\(minutes / 60) h ago"
        default: return plural(minutes / 1440, "day") + " ago"
        }
    }

    /// "1 walk", "3 walks".
    static func plural<N: BinaryInteger>(_ n: N, _ noun: String) -> String {
        n == 1 ? "\(integer(n)) \(noun)" : "\(integer(n)) \(noun)s"
    }

    /// The city of an IANA zone: "America/Los_Angeles" → "Los Angeles".
    static func city(_ zone: String) -> String {
        (zone.split(separator: "/").last.map(String.init) ?? zone).replacingOccurrences(of: "_", with: " ")
    }

    /// The core's dates are Gregorian (ISO 8601), whatever calendar the
    /// user picked (Buddhist, Japanese…), in the phone's zone as it changes.
    private static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .autoupdatingCurrent
        return calendar
    }()

    /// Noon of a `YYYY-MM-DD` day in the phone's zone (the core's dates are local days).
    static func day(_ date: String) -> Date? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return gregorian.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }

    /// "2026-11-25" from "2026-12-01" and 6: the date `days` before `date`.
    static func daysBefore(_ date: String, _ days: Int) -> String {
        guard let day = Formats.day(date), let earlier = gregorian.date(byAdding: .day, value: -days, to: day) else { return date }
        return isoDay(earlier)
    }

    /// "2026-12-01" for `at` in the phone's zone, or in the IANA `zone`.
    static func isoDay(_ at: Date, zone: String? = nil) -> String {
        var calendar = gregorian
        if let zone, let tz = TimeZone(identifier: zone) { calendar.timeZone = tz }
        let c = calendar.dateComponents([.year, .month, .day], from: at)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// "08:30" for `at` in the phone's zone, as the core reads a clock time.
    static func isoClock(_ at: Date) -> String {
        let c = gregorian.dateComponents([.hour, .minute], from: at)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
