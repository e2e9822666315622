package app.secondheart.state

/*
 * What each screen shows, as display-ready values. The view models fill
 * these from the core's API; the Compose and SwiftUI screens only draw
 * them. Numbers arrive formatted (locale, units, plurals) so both apps say
 * the same thing.
 */

/** The four daily rings, in the order Today draws them. */
enum class RingKind { Steps, ActiveMinutes, Pumped, Sets }

/** One ring on Today: a value against its goal. */
data class RingUi(
    val kind: RingKind,
    /** "Steps". */
    val label: String,
    /** "6,240". */
    val value: String,
    /** "of 8,000". */
    val goal: String,
    /** value / goal, may exceed 1. */
    val fraction: Float,
    val met: Boolean,
)

/** The sensor line shown on Today and Devices. */
data class SensorStatusUi(
    /** "Sock sensor SH-0001" or "No sensor paired". */
    val title: String,
    /** "Synced 12 min ago · battery 84 %". */
    val detail: String,
    val connected: Boolean,
)

/** The current stretch of sitting. */
data class SittingUi(
    /** "Sitting for 48 min". */
    val label: String,
    /** Of the stretch after which a break is due (the core's); null when not sitting now or with reminders off. */
    val fraction: Float?,
    /** True once a break is due (never with reminders off). */
    val due: Boolean,
)

/** Today. */
data class TodayUi(
    /** "Tuesday 1 December". */
    val date: String,
    /** "Your calves pumped 182 L today". */
    val headline: String,
    val rings: List<RingUi>,
    val sitting: SittingUi?,
    /** "Next break 11:30 · 10 calf raises". */
    val nextBreak: String?,
    val sensor: SensorStatusUi,
    /** A flight today or tomorrow: "Flight to Los Angeles tomorrow 10:00". */
    val flight: String?,
    /** Water drunk today against the goal (null only if the core sent no water ring). */
    val water: WaterUi? = null,
    /** Compression socks: worn now or not, and how to log them. */
    val socks: SocksUi? = null,
    /** What the last action did today ("Logged a glass of water, 250 mL"), or what went wrong. */
    val message: String? = null,
)

/** Water today. */
data class WaterUi(
    /** "750 of 2,000 mL today". */
    val drunk: String,
    /** How far to the goal, 0 to 1. */
    val fraction: Float,
)

/** Compression socks on Today. */
data class SocksUi(
    /** "On since 08:10 · 15–20 mmHg", "On since 08:10 yesterday · 15–20 mmHg", "Worn 3 h 20 min today" or "Not worn today". */
    val status: String,
    val wearing: Boolean,
    /** The bands to pick from before putting them on (ids: the core's mmHg), the chosen one selected. */
    val classes: List<ChoiceUi>,
    /** What the health answers in Settings say against them (logging stays possible: a doctor may have prescribed them). */
    val caution: String?,
    /**
     * On since an earlier day (left on overnight, or their "off" forgotten): the days they may have come off on,
     * the day they went on first and today last; empty otherwise. The card asks when.
     */
    val offDays: List<DayUi> = emptyList(),
)

/** A day a form offers, as it shows it ("Yesterday · Fri 4 Dec"). */
data class DayUi(val date: java.time.LocalDate, val label: String)

/** Where a walk stands. */
enum class WalkPhase { Ready, Walking, Paused }

/**
 * A walk in the list of recent walks; [deletableId] is its id in the walk log when it was logged by hand (it can
 * be deleted), null for a walk the app followed.
 */
data class WalkRowUi(val title: String, val detail: String, val deletableId: Long? = null)

/** Walk. */
data class WalkUi(
    val phase: WalkPhase,
    /** "12:04". */
    val elapsed: String,
    val steps: String,
    /** "108 steps/min". */
    val cadence: String,
    /** "14.2 L". */
    val pumped: String,
    /** "Counted by your sock sensor" or "Counted by the phone". */
    val source: String,
    val recent: List<WalkRowUi>,
    val message: String?,
    /** The form for a walk done without the app, while it is open. */
    val logForm: WalkLogForm? = null,
    /** The walk logged by hand the screen asks about deleting, while it asks. */
    val confirmingDelete: WalkRowUi? = null,
    /** [source] says the phone's step count is refused to the app: the phone's settings for the app are offered. */
    val stepsRefused: Boolean = false,
)

/** A walk done without the app, as the user types it on Walk. */
data class WalkLogForm(
    /** The day it was, local (a date, not "days back": a form left open over midnight keeps its day). */
    val day: java.time.LocalDate,
    /** When it started, local time: "08:30". */
    val start: String,
    /** How long it lasted, in minutes: "30". */
    val minutes: String,
    /** Its steps: "3,200". */
    val steps: String,
)

/** A question behind a safety gate. */
data class SafetyQuestionUi(val id: String, val text: String, val answer: Boolean?)

/** A yes-or-no question a form ticks: [id] is the core's key. */
data class QuestionUi(val id: String, val text: String)

/** What a gate decided. */
sealed interface GateUi {
    /** Some questions are unanswered. */
    data object Unanswered : GateUi

    /** Go ahead. */
    data class Open(val note: String) : GateUi

    /** Stop: [reason] says why and what to do instead. */
    data class Closed(val reason: String) : GateUi
}

/** A calf-raise or ankle-pump set. */
data class SetUi(
    val title: String,
    val reps: Int,
    val target: Int,
    /** 0..1 of the current hold, as a sensor measures it; null when reps are tapped (no hold is measured). */
    val hold: Float?,
    /** "Up… hold 1 s" or "Down slowly". */
    val cue: String,
    /** "Counted by your sensor SH-0001 · mean hold 1.1 s". */
    val source: String,
    val finished: Boolean,
    /** Who counts: the user's taps or the sensor. */
    val counting: SetCounting,
)

/** Who counts a set's reps. */
enum class SetCounting { Taps, Sensor }

/** Leg elevation behind its questions. */
data class ElevationUi(
    val questions: List<SafetyQuestionUi>,
    val gate: GateUi,
    /** "15:00" while running. */
    val timer: String?,
)

/** Exercises. */
data class ExercisesUi(
    val set: SetUi?,
    val elevation: ElevationUi,
    /** Today's finished sets: "Calf raises · 20 reps · 09:12". */
    val done: List<String>,
    /** What the last action or the sensor said ("The sensor is not counting this set: …"). */
    val message: String? = null,
)

/** One step of a flight plan. */
data class TimelineItemUi(
    /** Time at home: "10:30". */
    val homeTime: String,
    /** Time at the destination: "01:30". */
    val awayTime: String,
    val title: String,
    val detail: String,
    /** Passed, now, or later. */
    val state: TimelineState,
)

/** Where a timeline item stands against now. */
enum class TimelineState { Done, Now, Later }

/** Flight. */
data class FlightUi(
    /** "Berlin → Los Angeles · 12 h 15 min". */
    val title: String?,
    /** "Increased risk: oestrogen (the pill or hormone replacement)", with "Talk to your doctor before you fly." when the core says so. */
    val risk: String?,
    /** The two zones' names, for the timeline header. */
    val homeZone: String,
    val awayZone: String,
    val timeline: List<TimelineItemUi>,
    /** In flight: "Next: ankle pumps in 12 min". */
    val next: String?,
    val message: String?,
    /** The plan shown is the started flight (Cancel offered), not one being made (Start offered). */
    val started: Boolean = false,
    /** Cancel flight was tapped: the screen asks before the flight is dropped. */
    val confirmingCancel: Boolean = false,
    /** What the figures mean for everyone on such a flight (the core's population note): said under the risk, smaller. */
    val riskNote: String? = null,
)

/** A sensor found by a scan or paired ([DevicesUi.countFrom] says which paired one walks and sets count from). */
data class DeviceRowUi(val id: String, val name: String, val detail: String, val paired: Boolean)

/** A sync running. */
data class SyncUi(val serial: String, val fraction: Float, val text: String)

/** Devices. */
data class DevicesUi(
    val scanning: Boolean,
    val devices: List<DeviceRowUi>,
    val sync: SyncUi?,
    /** "Synced 412 records" or "Sync cancelled: the records so far are kept". */
    val message: String?,
    /** Live data from a paired sensor, while the user watches it. */
    val live: LiveDataUi?,
    /** The paired sensor whose Forget was tapped, while the screen asks first (its records go with it). */
    val confirmingForget: DeviceRowUi? = null,
    /**
     * With two sensors or more paired, which one walks and sets count from: the one synced last (id
     * [COUNT_FROM_SYNCED_LAST]) or one the user picks (id: its serial), the one in force selected.
     */
    val countFrom: List<ChoiceUi> = emptyList(),
    /** The paired sensor a sync found reset (its records and clock started again): offered to keep its history and sync afresh. */
    val resetSensor: String? = null,
    /** [message] says the radio needs a permission the user refused: the phone's settings for the app are offered. */
    val permissionRefused: Boolean = false,
)

/** [DevicesUi.countFrom]'s id for the rule: walks and sets count from the sensor synced last. */
const val COUNT_FROM_SYNCED_LAST = ""

/** Live data from a paired sensor, as it arrives. */
data class LiveDataUi(
    val serial: String,
    /** "Standing". */
    val posture: String,
    /** "18 mmHg at the ankle · 13 mmHg at the calf". */
    val pressure: String,
    /** How hard the calf contracts now, 0..1. */
    val contraction: Float,
    /** "108 steps/min" or "—". */
    val cadence: String,
    /** "412 frames · none lost". */
    val frames: String,
)

/**
 * One bar of a chart; [imported] is the part of [value] that only an imported file knows of, drawn lighter.
 * [label] is shown as it is: where there are many bars the model leaves some empty (a day names every sixth
 * hour, a month every seventh day).
 */
data class BarUi(val label: String, val value: Float, val imported: Float = 0f)

/** A chart of one measure over days, weeks or months. */
data class ChartUi(
    val title: String,
    /** "6,240 steps a day on average". */
    val summary: String,
    val bars: List<BarUi>,
    /** A goal line, in bar units. */
    val goal: Float?,
    val kind: RingKind?,
    /** A line under the chart: "Includes 8,700 steps imported from a file (the lighter part of a bar)". */
    val note: String? = null,
)

/** The range History shows. */
enum class HistoryRange { Day, Week, Month }

/** History; [message] says why the days could not be read. */
data class HistoryUi(val range: HistoryRange, val period: String, val charts: List<ChartUi>, val message: String? = null)

/** A slider on Learn: [value] in [min]..[max], moving in [steps] stops between them (0: continuous). */
data class LearnInputUi(
    val id: LearnInput,
    val label: String,
    val value: Float,
    val min: Float,
    val max: Float,
    val steps: Int,
    /** The value as read out: "4.5 km/h", "every 30 min", "none". */
    val text: String,
)

/** The inputs Learn's charts answer to. */
enum class LearnInput { WalkingSpeed, SittingHours, BreakEvery, Stockings }

/** One of a few choices (valves, the kind of break), as chips. */
data class ChoiceUi(val id: String, val label: String, val selected: Boolean)

/** A line in a chart. */
data class SeriesUi(val label: String, val points: List<Float>)

/** A label on a chart's x axis at [at], 0 (left) to 1 (right). */
data class TickUi(val label: String, val at: Float)

/** A chart of the pump model's run. */
data class ModelChartUi(
    /** "Pressure at your ankle". */
    val title: String,
    /** The y axis' unit: "mmHg", "mL". */
    val unit: String,
    val series: List<SeriesUi>,
    /** The x axis' labels, where they fall. */
    val xTicks: List<TickUi>,
    /** What the chart says in words, with the model's figures for the inputs set. */
    val answer: String,
)

/** Learn: the pump model's charts for the inputs the user set. */
data class LearnUi(
    /** Walking speed. */
    val walking: LearnInputUi,
    /** Ankle pressure on a walk: standing, walking, standing again; null until the first run. */
    val pressure: ModelChartUi?,
    /** The blood in the calf veins over the same walk. */
    val volume: ModelChartUi?,
    /** Sitting hours and how often a break comes. */
    val sitting: List<LearnInputUi>,
    /** What each break is: a walk, calf raises, ankle pumps. */
    val breakKinds: List<ChoiceUi>,
    /** Swelling over the sitting stretch, with and without the breaks. */
    val swelling: ModelChartUi?,
    /** Stocking pressure. */
    val stockings: LearnInputUi,
    /** Which valves hold. */
    val valves: List<ChoiceUi>,
    /** True while the model runs for new inputs. */
    val running: Boolean,
    /** A model error, written for people. */
    val message: String?,
)

/**
 * The profile form: body and goals as the phone writes numbers (the
 * stored values, or what the user typed); an optional field empty has no
 * figure.
 */
data class ProfileForm(
    val heightCm: String,
    /** Optional. */
    val weightKg: String = "",
    /** Optional. */
    val birthYear: String = "",
    /** "female" or "male": sizes the pump model's leg. */
    val sex: String = "female",
    val stepsGoal: String,
    val activeMinutesGoal: String = "",
    val calfRaiseSetsGoal: String = "",
    val pumpedLitresGoal: String = "",
    val hydrationGoalMl: String = "",
    /** Breaks from sitting an hour (0–12; a day meets it with that many per full hour sat). */
    val breaksPerSittingHour: String = "",
)

/** The reminder settings as typed: minutes still before a reminder, quiet hours "22:00" to "07:00". */
data class ReminderForm(val remindAfterMin: String, val quietFrom: String, val quietUntil: String)

/** The parts of Settings, each with its own actions. */
enum class SettingsSection { Profile, Reminders, Health, Data }

/** Settings and first run. */
data class SettingsUi(
    val profile: ProfileForm,
    val remindersOn: Boolean,
    val reminders: ReminderForm,
    val questions: List<SafetyQuestionUi>,
    /** "Compression socks: fine" or "Compression socks: ask your doctor first (ABI 0.7)". */
    val compressionGate: GateUi,
    val message: String?,
    val confirmingDelete: Boolean,
    /** The formats an export can take, the chosen one selected ("JSON", "CSV: days"…). */
    val exportFormats: List<ChoiceUi> = emptyList(),
    /** An export is being written or its "save as" dialog is open. */
    val exporting: Boolean = false,
    /** A backup is being written or its "save as" dialog is open. */
    val backingUp: Boolean = false,
    /** A backup is being picked or restored. */
    val restoring: Boolean = false,
    /** A file of daily steps is being picked or imported. */
    val importing: Boolean = false,
    /** The backup picked would replace data this phone holds: the user is asked first. */
    val confirmingRestore: Boolean = false,
    /** The ankle–brachial index a doctor measured, as stored ("0.95"), or empty when none is. */
    val ankleBrachialIndex: String = "",
    /** Reminders are on, but the phone blocks the app's notifications: none can show. */
    val remindersBlocked: Boolean = false,
    /** Reminders are on and can show, but the phone allows only inexact alarms: they may come up to five minutes late. */
    val remindersLate: Boolean = false,
    /** The part of the screen [message] belongs to (the action that said it): shown there, by the button tapped. */
    val messageSection: SettingsSection = SettingsSection.Data,
    /** Not set up yet: Settings is the welcome (profile, health questions, Start) and the app shows nothing else. */
    val firstRun: Boolean = false,
)

/** What the user typed into the flight form. */
data class FlightForm(
    /** "2026-12-05 10:00", local at the departure airport. */
    val depart: String = "",
    /** IANA zone of the departure: "Europe/Berlin". */
    val from: String = "",
    /** "2026-12-05 13:15", local at the arrival airport. */
    val arrive: String = "",
    val to: String = "",
    /** "window", "middle" or "aisle". */
    val seat: String = "aisle",
    /** Risk questions ticked, by the core's key (`flightRiskQuestions`). */
    val risks: Set<String> = emptySet(),
    /** Minutes between movement prompts, 30–60 (the plan's default is 45). */
    val moveEveryMin: Int = 45,
    /** When the traveller means to sleep, destination time, "23:00-06:00"; blank for none. */
    val sleep: String = "",
)
