package app.secondheart.core

import java.nio.file.Path
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.HoldCue
import uniffi.second_heart.LiveEvent
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.LiveSettings
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionState
import uniffi.second_heart.SetTargets
import uniffi.second_heart.sensorUuids

/**
 * Live data from the demo sensor through the Kotlin Bluetooth path, on a
 * fixed clock: the test lets the sensor's time pass with
 * [DemoGattClient.advance], so nothing waits on the wall clock.
 */
class SensorLiveTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T10:00"))
    private lateinit var core: SecondHeart
    private lateinit var demo: DemoSensor

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
        demo = core.demoSensor(SERIAL, 4.0)
        val paired = runBlocking { SensorSync(core, "demo", PlatformBleLink(DemoGattClient(demo))).run() }
        assertTrue(paired is SensorSyncOutcome.Done, "$paired")
    }

    @AfterEach
    fun close() {
        demo.close()
        core.close()
    }

    /** A link to the demo sensor, its writes and disconnects recorded. */
    private class Link(demo: DemoSensor) {
        val client = DemoGattClient(demo)
        val recorded = RecordingGattClient(client)
        val ble = PlatformBleLink(recorded)

        /** Live data was asked for, and the sensor took the request. */
        fun started() = client.writes.any { (c, v) -> c == CONTROL_POINT && v.first() == START_LIVE }

        /** The last word to the sensor was Stop Live. */
        fun stoppedLast() = recorded.writes.lastOrNull()?.let { it.characteristic == CONTROL_POINT && it.value == listOf(STOP_LIVE) } == true
    }

    @Test
    fun `frames and cadence arrive while time passes, and cancel stops the sensor and drops the link`() = runBlocking {
        val link = Link(demo)
        val frames = CopyOnWriteArrayList<LiveFrame>()
        val cadence = CopyOnWriteArrayList<UByte>()
        val live = SensorLive(core, SERIAL, link.ble)
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) {
            live.run(onFrame = { f, _ -> frames += f }, onCadence = { cadence += it.cadenceSpm })
        }
        assertTrue(eventually { link.started() })
        demo.perform(DemoActivity.Walking(minutes = 1u, cadenceSpm = 110u))
        repeat(10) { link.client.advance(1_000) }
        // 10 s at 25 Hz, five samples a frame: 50 frames, and a reading a second.
        assertTrue(eventually { frames.size >= 50 && cadence.size >= 10 }, "${frames.size} frames, ${cadence.size} readings")
        assertTrue(frames.flatMap { it.samples }.count { it.event == LiveEvent.STEP } in 8..10)
        assertEquals(110, cadence.last().toInt())
        assertEquals((frames.first().frameSeq.toInt() until frames.first().frameSeq.toInt() + frames.size).toList(), frames.map { it.frameSeq.toInt() })

        live.cancel()
        val summary = (job.await() as SensorLiveOutcome.Done).summary
        assertEquals(frames.size.toUInt(), summary.frames)
        assertEquals(0u, summary.framesLost)
        assertTrue(link.stoppedLast(), "the sensor was told to stop: ${link.recorded.writes}")
        assertTrue(link.recorded.disconnects >= 1 && !link.client.isConnected, "the link was dropped")
    }

    @Test
    fun `cancelling the coroutine tells the sensor to stop live data and disconnects`() = runBlocking {
        val link = Link(demo)
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { SensorLive(core, SERIAL, link.ble).run() }
        assertTrue(eventually { link.started() })
        link.client.advance(2_000)
        job.cancel()
        assertTrue(eventually { link.stoppedLast() }, "the sensor was told to stop: ${link.recorded.writes}")
        assertTrue(eventually { link.recorded.disconnects >= 1 && !link.client.isConnected }, "the link was dropped")
    }

    @Test
    fun `a calf-raise set from the demo sensor is counted to 20 reps with 1 s holds and counts into the day`() = runBlocking<Unit> {
        core.sessions().startSet(SessionKind.CALF_RAISES, SetTargets())
        val counter = core.sessions().liveCounter()
        val link = Link(demo)
        val cues = CopyOnWriteArrayList<String>()
        val last = AtomicReference<LiveProgress?>()
        val live = SensorLive(core, SERIAL, link.ble, counter = counter)
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) {
            live.run(onFrame = { _, progress ->
                progress?.let { last.set(it); cues += it.cue.javaClass.simpleName }
            })
        }
        assertTrue(eventually { link.started() })
        val seconds = demo.perform(DemoActivity.CalfRaises(reps = 20u, holdS = 1.0))
        assertEquals(60.0, seconds)
        repeat(62) { link.client.advance(1_000) }
        assertTrue(eventually { last.get()?.reps == 20u && last.get()?.holds == 20u }, "${last.get()}")
        live.cancel()
        assertTrue(job.await() is SensorLiveOutcome.Done)

        val counted = counter.progress()
        assertTrue(counted.setComplete)
        assertEquals(HoldCue.Rest, counted.cue)
        assertEquals(listOf("Rest", "Rising", "Hold", "Lower"), cues.distinct().take(4))
        val hold = counted.meanHoldS!!
        assertTrue(hold in 0.9..1.3, "mean hold $hold")
        assertEquals(0u, counted.shortHolds)
        // The set itself holds what the sensor counted: finishing it counts it into the day.
        val stored = core.sessions().status()!!.progress
        assertEquals(20u, stored.reps)
        assertTrue(stored.meanHoldS!! in 0.9..1.3, "${stored.meanHoldS}")
        val before = core.today().view().summary.calfRaiseSets
        // Finished through the counter, with all it counted, in one transaction.
        val done = counter.finish()
        assertEquals(SessionState.FINISHED, done.progress.state)
        assertEquals(20u, done.progress.reps)
        assertEquals(before + 1u, core.today().view().summary.calfRaiseSets)
        assertThrows<SecondHeartException.Conflict> { counter.finish() }
    }

    @Test
    fun `the paired list shows each sensor with its records and the battery the last sync read`() {
        val listed = core.sensors().paired().single()
        assertEquals(SERIAL, listed.serial)
        assertEquals("demo", listed.address)
        assertEquals(core.sensors().summary(SERIAL)!!.records, listed.records)
        assertTrue(listed.records > 100u, "${listed.records}")
        // Four hours of wear: the demo battery has run down 2 %.
        assertEquals(98.toUByte(), listed.batteryPercent)
        // Read by the app's clock (the sync's time runs on from it by the sync's own length).
        val read = java.time.Duration.between(clock.at, listed.batteryRead)
        assertTrue(!read.isNegative && read < java.time.Duration.ofSeconds(5), "read at ${listed.batteryRead}")
        assertEquals(listOf(listed), core.today().view().sensors, "Today shows the same sensor")
    }

    @Test
    fun `a counter pushed by hand refuses a broken frame and needs a running session`() {
        assertThrows<SecondHeartException.Conflict> { core.sessions().liveCounter() }
        core.sessions().startWalk()
        val counter = core.sessions().liveCounter()
        val frame = LiveFrame(1u, 0u, listOf(sample(40u), sample(20u)))
        assertThrows<SecondHeartException.InvalidInput> { counter.push(frame) }
        assertEquals(0u, counter.progress().frames)
        assertEquals(1u, counter.push(frame.copy(samples = listOf(sample(0u), sample(40u)))).frames)
    }

    @Test
    fun `while a walk streams from the sensor, a second stream, a sync, pairing it again and forgetting it are refused without touching the link`() = runBlocking {
        val walk = Link(demo)
        val live = SensorLive(core, SERIAL, walk.ble)
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { live.run() }
        assertTrue(eventually { walk.started() })

        val other = Link(demo)
        val second = SensorLive(core, SERIAL, other.ble).run() as SensorLiveOutcome.Failed
        assertEquals("sensor_busy", second.error.code())
        assertEquals(
            "sensor $SERIAL is busy streaming live data: wait for it to end or stop it, then try again",
            second.error.toString(),
        )
        val sync = SensorSync(core, "demo", other.ble, serial = SERIAL).run() as SensorSyncOutcome.Failed
        assertEquals("sensor_busy", sync.error.code())
        val pairAgain = SensorSync(core, "demo", other.ble).run() as SensorSyncOutcome.Failed
        assertEquals("sensor_busy", pairAgain.error.code(), "pairing the sensor again waits for it too")
        assertThrows<SecondHeartException.SensorBusy> { core.sensors().forget(SERIAL) }
        assertEquals(0, other.client.connections, "the busy sensor was not connected a second time")
        // The same sensor found at a new address (a phone's random address
        // changed since pairing): refused once it names itself, before
        // anything is written to it or stored.
        val elsewhere = Link(demo)
        val records = core.sensors().paired().single().records
        val pairElsewhere = SensorSync(core, "demo at a new address", elsewhere.ble).run() as SensorSyncOutcome.Failed
        assertEquals("sensor_busy", pairElsewhere.error.code(), "${pairElsewhere.error}")
        assertTrue(elsewhere.recorded.writes.isEmpty(), "nothing written: ${elsewhere.recorded.writes}")
        assertEquals(listOf("demo"), core.sensors().paired().map { it.address }, "not paired a second time")
        assertEquals(records, core.sensors().paired().single().records)
        walk.client.advance(1_000)
        assertTrue(walk.client.isConnected && !walk.stoppedLast(), "the walk's stream runs on")

        live.cancel()
        assertTrue(job.await() is SensorLiveOutcome.Done)
        // Free once the stream has ended: the sync runs.
        val synced = SensorSync(core, "demo", other.ble, serial = SERIAL).run()
        assertTrue(synced is SensorSyncOutcome.Done, "$synced")
    }

    @Test
    fun `a walk counting from the sensor is named when another stream asks for it`() = runBlocking {
        core.sessions().startWalk()
        val walk = Link(demo)
        val counting = SensorLive(core, SERIAL, walk.ble, counter = core.sessions().liveCounter())
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { counting.run() }
        assertTrue(eventually { walk.started() })
        val watch = SensorLive(core, SERIAL, Link(demo).ble).run() as SensorLiveOutcome.Failed
        assertEquals(
            "Sensor $SERIAL is busy counting your walk or exercise from its live data: wait for it to end or stop it, then try again",
            app.secondheart.state.userMessage(watch.error),
        )
        counting.cancel()
        assertTrue(job.await() is SensorLiveOutcome.Done)
    }

    @Test
    fun `stopping a stream and starting the next at once hands the sensor over`() = runBlocking {
        val watching = Link(demo)
        val first = SensorLive(core, SERIAL, watching.ble)
        val seen = CopyOnWriteArrayList<LiveFrame>()
        val shown = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { first.run(onFrame = { f, _ -> seen += f }) }
        assertTrue(eventually { watching.started() })
        // Live data shows (a frame has arrived): the stream has begun, so stopping it ends it as done.
        watching.client.advance(500)
        assertTrue(eventually { seen.isNotEmpty() }, "a frame shown")

        // As an app does when a walk starts while live data shows: stop, then start at once.
        first.cancel()
        val walk = Link(demo)
        val frames = CopyOnWriteArrayList<LiveFrame>()
        val second = SensorLive(core, SERIAL, walk.ble)
        val counting = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { second.run(onFrame = { f, _ -> frames += f }) }
        val firstOutcome = shown.await()
        assertTrue(firstOutcome is SensorLiveOutcome.Done, "$firstOutcome")
        assertTrue(watching.stoppedLast(), "the first stream told the sensor to stop")
        assertTrue(eventually { walk.started() }, "the second stream started once the first let go")
        walk.client.advance(2_000)
        assertTrue(eventually { frames.size >= 10 }, "${frames.size} frames")
        second.cancel()
        assertTrue(counting.await() is SensorLiveOutcome.Done)
    }

    @Test
    fun `live data from a sensor that was never paired is refused`() = runBlocking {
        val stranger = core.demoSensor("SH-STRANGER", 1.0)
        val link = Link(stranger)
        val outcome = SensorLive(core, "SH-STRANGER", link.ble).run()
        assertEquals("not_paired", ((outcome as SensorLiveOutcome.Failed).error).code())
        assertEquals(0, link.client.connections, "an unpaired sensor is not even connected")
        val wrong = SensorLive(core, SERIAL, link.ble).run()
        assertEquals("wrong_sensor", ((wrong as SensorLiveOutcome.Failed).error).code())
        stranger.close()
    }

    @Test
    fun `the demo sensor is the same under the same fixed clock, whenever it is made`() {
        val at = berlin("2026-11-21T10:00")
        fun script(sensor: DemoSensor): List<ByteArray> {
            sensor.setMtu(247u)
            for (c in listOf(CONTROL_POINT, LIVE_FRAME)) sensor.subscribe(c.toString())
            val out = mutableListOf(sensor.read(ELAPSED_TIME.toString()), sensor.read(STATUS.toString()))
            sensor.write(CONTROL_POINT.toString(), byteArrayOf(START_LIVE, 25))
            sensor.perform(DemoActivity.CalfRaises(3u, 1.0))
            sensor.advance(9_000u)
            while (true) out += (sensor.takeOutgoing() ?: break).value
            return out
        }
        val first = DemoSensor("SH-SAME", 6.0, SettableClock(at)).use(::script)
        Thread.sleep(1_100)
        val second = DemoSensor("SH-SAME", 6.0, SettableClock(at)).use(::script)
        assertEquals(first.size, second.size)
        assertTrue(first.size > 40, "${first.size} notifications")
        first.zip(second).forEach { (a, b) -> assertArrayEquals(a, b) }
    }

    private fun sample(dtMs: UShort) = uniffi.second_heart.LiveSample(
        dtMs = dtMs, ankleMmhg = 18u, calfMmhg = 13u, shankPitchDeg = 0, posture = uniffi.second_heart.Posture.WALKING,
        event = LiveEvent.NONE, contraction = 0u,
    )

    private companion object {
        const val SERIAL = "SH-LIVE-1"
        const val START_LIVE: Byte = 0x01
        const val STOP_LIVE: Byte = 0x02
        val CONTROL_POINT: UUID = UUID.fromString(sensorUuids().controlPoint)
        val LIVE_FRAME: UUID = UUID.fromString(sensorUuids().liveFrame)
        val STATUS: UUID = UUID.fromString(sensorUuids().status)
        val ELAPSED_TIME: UUID = UUID.fromString("00002bf2-0000-1000-8000-00805f9b34fb")
    }
}
