package app.secondheart.state

import app.secondheart.core.AppClock
import app.secondheart.core.DemoGattClient
import app.secondheart.core.GattClient
import app.secondheart.core.GattEvent
import app.secondheart.core.PlatformBleLink
import app.secondheart.core.SensorLive
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.second_heart.BleLink
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.sensorUuids

/**
 * Devices over a radio the test drives: sensors are listed while the scan
 * runs, a radio that is unavailable says why and offers the demo sensor,
 * and pairing stops a running scan and pairs through the radio's link.
 */
class DevicesModelTest : AppTest() {
    private val sensor = DemoSensor("SH-FAKE-0001", 2.0, AppClock())
    private val otherSensor = DemoSensor("SH-FAKE-0002", 2.0, AppClock())

    @AfterEach
    fun closeSensors() {
        sensor.close()
        otherSensor.close()
    }

    /**
     * A radio that hands out [first], waits for [more], then hands out
     * [second]; or throws [unavailable]. Its links reach the simulated
     * sensor at that address in [at], else SH-FAKE-0001 (as a real one would).
     */
    private inner class FakeRadio(
        val first: FoundSensor? = null,
        val second: FoundSensor? = null,
        val unavailable: String? = null,
        val at: Map<String, DemoSensor> = emptyMap(),
        /** How long each notification takes to arrive, ms, as over a real radio. */
        val pace: Long = 0,
    ) : SensorRadio {
        val more = CompletableDeferred<Unit>()
        val scanEnded = CompletableDeferred<Throwable?>()
        val linked = mutableListOf<String>()
        val clients = java.util.concurrent.CopyOnWriteArrayList<DemoGattClient>()
        val clientsAt = java.util.concurrent.ConcurrentHashMap<String, List<DemoGattClient>>()

        /** When set, the next link waits for it, as a slow radio keeps an app waiting. */
        @Volatile
        var hold: java.util.concurrent.CountDownLatch? = null

        override suspend fun scan(onFound: (FoundSensor) -> Unit) {
            unavailable?.let { throw RadioUnavailable(it) }
            try {
                first?.let(onFound)
                more.await()
                second?.let(onFound)
                scanEnded.complete(null)
            } catch (e: Throwable) {
                scanEnded.complete(e)
                throw e
            }
        }

        override fun link(id: String): BleLink {
            hold?.let { latch ->
                hold = null
                latch.await(10, java.util.concurrent.TimeUnit.SECONDS)
            }
            linked += id
            val client = DemoGattClient(at[id] ?: sensor, paceMillis = pace)
            clients += client
            clientsAt.merge(id, listOf(client)) { old, new -> old + new }
            return PlatformBleLink(client)
        }
    }

    private fun model(radio: SensorRadio, platform: SessionPlatform = SessionPlatform.None) =
        DevicesModel(Core(app, AppClock()), Formats(), radio, scope, Dispatchers.IO, platform)

    /** A radio with two sensors in range (SH-FAKE-0001 first, then SH-FAKE-0002), both paired through a model. */
    private fun twoPaired(): Pair<FakeRadio, DevicesModel> {
        val otherPod = FoundSensor("00:00:00:00:00:04", "Second Heart sensor", "00:00:00:00:00:04 · -61 dBm")
        val radio = FakeRadio(at = mapOf(otherPod.id to otherSensor))
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the first sensor paired") { s -> s.sync == null && s.devices.count { it.paired } == 1 }
        Thread.sleep(5)
        devices.pair(otherPod.id)
        devices.until("both sensors paired") { s -> s.sync == null && s.devices.count { it.paired } == 2 && s.devices.any { it.detail.contains("counts") } }
        return radio to devices
    }

    private fun DevicesModel.until(what: String, test: (DevicesUi) -> Boolean): DevicesUi = runBlocking {
        try {
            withTimeout(60_000) { state.first(test) }
        } catch (e: Exception) {
            throw AssertionError("Devices never showed $what; last: ${state.value}", e)
        }
    }

    /** Whether one of [clients] wrote [opcode] to the sensor's control point (0x01 Start Live, 0x02 Stop Live). */
    private fun anyWrote(clients: List<DemoGattClient>, opcode: Byte): Boolean {
        val controlPoint = java.util.UUID.fromString(sensorUuids().controlPoint)
        return clients.any { c -> c.writes.any { (uuid, value) -> uuid == controlPoint && value.first() == opcode } }
    }

    /** Waits until one of [clients] took a Start Live request to the sensor. */
    private fun awaitLiveStarted(clients: () -> List<DemoGattClient>) = runBlocking {
        withTimeout(30_000) {
            while (!anyWrote(clients(), 0x01)) kotlinx.coroutines.delay(10)
        }
    }

    private val pod = FoundSensor("00:00:00:00:00:02", "Second Heart sensor", "00:00:00:00:00:02 · -48 dBm")
    private val footPod = FoundSensor("00:00:00:00:00:03", "Foot pod", "00:00:00:00:00:03 · live cadence only")

    @Test
    fun `sensors are listed as the scan finds them`() {
        val radio = FakeRadio(pod, footPod)
        val devices = model(radio)
        devices.scan()
        val first = devices.until("the first sensor while scanning") { it.scanning && it.devices.isNotEmpty() }
        assertEquals(listOf(DeviceRowUi(pod.id, pod.name, pod.detail, false)), first.devices)

        radio.more.complete(Unit)
        val done = devices.until("the scan's end") { !it.scanning }
        assertEquals(listOf(pod.id, footPod.id), done.devices.map { it.id })
        assertTrue(done.devices.none { it.paired })
    }

    @Test
    fun `without a radio it says why and offers the demo sensor, which pairs`() {
        val radio = FakeRadio(unavailable = "No Bluetooth here: no Bluetooth adapter found; plug one in or switch Bluetooth on.")
        val devices = model(WithDemoSensor(radio, DemoRadio()))
        devices.scan()
        val done = devices.until("the scan's end") { !it.scanning && it.message != null }
        assertEquals(
            "No Bluetooth here: no Bluetooth adapter found; plug one in or switch Bluetooth on. You can pair the demo sensor instead.",
            done.message,
        )
        assertEquals(listOf("SH-DEMO-0001"), done.devices.map { it.id })

        devices.pair("SH-DEMO-0001")
        val paired = devices.until("the demo sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        assertEquals(listOf("SH-DEMO-0001"), paired.devices.map { it.id })
        // The battery the sync read is shown with the sensor.
        assertTrue(Regex(" · battery\u00A0\\d{1,3}\u00A0%$").containsMatchIn(paired.devices.single().detail), paired.devices.single().detail)
        assertTrue(paired.message!!.startsWith("Synced "), paired.message)
        assertEquals(emptyList<String>(), radio.linked, "the demo sensor is never looked for on the unavailable radio")
    }

    @Test
    fun `pairing stops a running scan and pairs through the radio at that address`() {
        val radio = FakeRadio(pod, footPod)
        val phone = object : SessionPlatform {
            val heard = java.util.concurrent.CopyOnWriteArrayList<String>()
            override fun syncRunning(title: String) { heard += "running $title" }
            override fun syncEnded() { heard += "ended" }
        }
        val devices = model(radio, phone)
        devices.scan()
        devices.until("the sensor found") { it.devices.any { d -> d.id == pod.id } }

        devices.pair(pod.id)
        val paired = devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        // The phone kept the pairing in the foreground while it ran.
        assertEquals(listOf("running Pairing your sensor", "ended"), phone.heard)
        assertTrue(runBlocking { withTimeout(10_000) { radio.scanEnded.await() } } is kotlinx.coroutines.CancellationException, "the scan was stopped")
        assertEquals(listOf(pod.id), radio.linked)
        val sensor = app.sensors().paired().single()
        assertEquals("SH-FAKE-0001" to pod.id, sensor.serial to sensor.address)
        // Listed once, as the paired sensor: the row found at its address is gone.
        assertEquals(listOf(true), paired.devices.map { it.paired })
    }

    @Test
    fun `live data asked for while a walk counts from the sensor says it did not start, and why`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"
        app.sessions().startWalk()
        val walkClient = DemoGattClient(sensor)
        val walk = SensorLive(app, serial, PlatformBleLink(walkClient), counter = app.sessions().liveCounter())
        val counting = scope.launch { walk.run() }
        awaitLiveStarted { listOf(walkClient) }

        devices.showLive(serial)
        val refused = devices.until("the live data refused") { it.message?.startsWith("Live data did not start: ") == true }
        assertEquals(
            "Live data did not start: sensor $serial is busy counting your walk or exercise from its live data: wait for it to end or stop it, then try again",
            refused.message,
        )
        assertEquals(null, refused.live)
        walk.cancel()
        runBlocking { counting.join() }
    }

    @Test
    fun `going to the background stops Devices' live data and lets the sensor go`() {
        val radio = FakeRadio(pod)
        AppModels(Core(app, AppClock()), radio, dir.resolve("exports").toFile(), scope, Dispatchers.IO).use { models ->
            val devices = models.devices
            devices.pair(pod.id)
            devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
            devices.showLive("SH-FAKE-0001")
            awaitLiveStarted { radio.clients }
            devices.until("the live data shown") { it.live != null }

            models.background()
            devices.until("the live data gone") { it.live == null }
            assertTrue(anyWrote(radio.clients, 0x02), "the sensor was told to stop its live frames")
        }
    }

    @Test
    fun `a double tap on Live starts one stream, with no word of a busy sensor`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val linked = radio.clients.size
        devices.showLive("SH-FAKE-0001")
        devices.showLive("SH-FAKE-0001")
        awaitLiveStarted { radio.clients }
        devices.until("the live data shown") { it.live != null }
        // Time for a second stream to have been asked for, had the second tap started one.
        Thread.sleep(300)
        val shown = devices.state.value
        assertTrue(shown.message?.startsWith("Live data") != true, shown.message)
        assertEquals(1, radio.clients.size - linked, "one link: the second tap found the first starting")
        devices.stopLive()
        devices.until("the live data gone") { it.live == null }
    }

    @Test
    fun `Live tapped and left while the sensor connects streams nothing off screen`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"
        // The radio keeps the link waiting (a slow phone) while the user leaves Devices.
        val connecting = java.util.concurrent.CountDownLatch(1)
        radio.hold = connecting
        devices.showLive(serial)
        runBlocking { withTimeout(10_000) { while (radio.hold != null) kotlinx.coroutines.delay(10) } }
        devices.stopLive()
        // The stop has run, finding nothing started yet.
        devices.until("the stop done") { it.live == null }
        Thread.sleep(200)
        connecting.countDown()
        // The start goes on once connected, and finds live data no longer wanted: no stream runs (never told
        // to start, or told to stop), where one had streamed on off screen. Time for it to have started:
        Thread.sleep(1_500)
        assertTrue(!anyWrote(radio.clients, 0x01) || anyWrote(radio.clients, 0x02), "no live frames stream off screen")
        assertEquals(null, devices.state.value.live, "no live data shows on the Devices the user left")
    }

    @Test
    fun `a sensor a sync found reset keeps its history and syncs afresh at a tap`() {
        val devices = model(FakeRadio(pod))
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"
        val before = app.sensors().summary(serial)!!.records
        // Reset: its numbering and clock start again, half an hour of records since.
        val reset = DemoSensor(serial, 0.5, AppClock())
        try {
            val again = model(FakeRadio(pod, at = mapOf(pod.id to reset)))
            again.reload()
            again.sync(serial)
            val refused = again.until("the reset offered") { it.resetSensor != null }
            assertEquals(serial, refused.resetSensor)
            assertTrue(refused.message!!.contains("reset"), refused.message)
            again.keepHistoryAndResync(serial)
            val synced = again.until("synced afresh") { it.message?.startsWith("Synced ") == true && it.sync == null }
            assertEquals(null, synced.resetSensor, "nothing more to offer")
            assertEquals(before, app.sensors().summary("$serial~1")!!.records, "the history before the reset is kept")
            assertTrue(app.sensors().summary(serial)!!.records > 0uL, "its records since are stored")
        } finally {
            reset.close()
        }
    }

    @Test
    fun `a sensor reset with a new address, found by pairing it, keeps its history and is paired there`() {
        val devices = model(FakeRadio(pod))
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"
        val before = app.sensors().summary(serial)!!.records
        val reset = DemoSensor(serial, 0.5, AppClock())
        val moved = FoundSensor("00:00:00:00:00:09", "Second Heart sensor", "00:00:00:00:00:09 · -50 dBm")
        try {
            val again = model(FakeRadio(moved, at = mapOf(moved.id to reset)))
            again.reload()
            again.pair(moved.id)
            val refused = again.until("the reset offered") { it.resetSensor != null }
            assertEquals(serial, refused.resetSensor, "named by its serial, not the address it was found at")
            again.keepHistoryAndResync(serial)
            again.until("paired afresh") { it.message?.startsWith("Synced ") == true && it.sync == null }
            assertEquals(moved.id, app.sensors().paired().single().address, "paired where it was found")
            assertEquals(before, app.sensors().summary("$serial~1")!!.records, "the history before the reset is kept")
        } finally {
            reset.close()
        }
    }

    @Test
    fun `a sync while live data shows is refused in words, the live data runs on, and once stopped the sensor can be forgotten`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"

        devices.showLive(serial)
        awaitLiveStarted { radio.clients }
        val busy = "Sensor $serial is busy streaming live data: wait for it to end or stop it, then try again"
        devices.sync(serial)
        val refused = devices.until("the sync refused") { it.message == busy }
        assertEquals(null, refused.sync, "no sync progress is left on screen")
        assertTrue(refused.live != null, "the live data still shows")

        // Stopped, the live data shows until the sensor is let go: Forget
        // (offered again only then) works straight away.
        devices.stopLive()
        devices.until("the live data gone") { it.live == null }
        devices.forget(serial)
        val forgotten = devices.until("the sensor forgotten") { it.message?.startsWith("Forgot ") == true }
        assertTrue(forgotten.devices.none { it.paired }, "${forgotten.devices}")
    }

    @Test
    fun `live data stopped just as it starts has let the sensor go when the stop returns, however late the starting thread runs`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val serial = "SH-FAKE-0001"

        // Each coroutine step runs on a thread of its own, and the thread
        // that sends the stream off to run is held up right after it has
        // (as a busy phone may pause any thread) until the stop is done.
        val stopped = java.util.concurrent.CountDownLatch(1)
        val heldUp = object : CoroutineDispatcher() {
            private val first = java.util.concurrent.atomic.AtomicBoolean(true)

            override fun dispatch(context: CoroutineContext, block: Runnable) {
                Thread(block).start()
                if (first.getAndSet(false)) stopped.await(30, java.util.concurrent.TimeUnit.SECONDS)
            }
        }
        val feedScope = CoroutineScope(SupervisorJob() + heldUp)
        val feed = LiveFeed(Core(app, AppClock()), radio, feedScope)
        val quiet = object : LiveUpdates {
            override fun frame(frame: LiveFrame, progress: LiveProgress?) {}

            override fun ended(error: String?, afterFrames: Boolean) {}
        }
        val starting = Thread { feed.start(countSession = false, updates = quiet, sensorSerial = serial) }
        starting.start()
        try {
            awaitLiveStarted { radio.clients }
            runBlocking { withTimeout(30_000) { feed.stopAndJoin() } }
            val forgotten = runCatching { app.sensors().forget(serial) }
            assertTrue(forgotten.isSuccess, "the sensor was still held: ${forgotten.exceptionOrNull()}")
            assertTrue(anyWrote(radio.clients, 0x02), "the sensor was told to stop its live frames")
        } finally {
            stopped.countDown()
            starting.join()
            feedScope.cancel()
        }
    }

    @Test
    fun `with two sensors paired, walks and sets count from the one synced last, and Devices says which`() {
        val otherPod = FoundSensor("00:00:00:00:00:04", "Second Heart sensor", "00:00:00:00:00:04 · -61 dBm")
        val radio = FakeRadio(at = mapOf(otherPod.id to otherSensor))
        val devices = model(radio)
        devices.pair(pod.id)
        val one = devices.until("the first sensor paired") { s -> s.sync == null && s.devices.count { it.paired } == 1 }
        assertFalse(one.devices.single().detail.contains("counts"), "one sensor needs no saying")
        Thread.sleep(5)
        devices.pair(otherPod.id)
        fun counting(s: DevicesUi) = s.devices.filter { it.detail.endsWith("counts your walks and sets") }.map { it.id }
        val both = devices.until("both sensors paired") { s -> s.sync == null && s.devices.count { it.paired } == 2 && counting(s).isNotEmpty() }
        assertEquals(listOf("SH-FAKE-0002"), counting(both))
        assertEquals("SH-FAKE-0002", LiveFeed(Core(app, AppClock()), radio, scope).sensor()?.serial)

        Thread.sleep(5)
        devices.sync("SH-FAKE-0001")
        val synced = devices.until("the first sensor synced again") { s -> s.sync == null && counting(s) == listOf("SH-FAKE-0001") }
        assertEquals(listOf("SH-FAKE-0001"), counting(synced))
        // The rule in force is the choice shown; either sensor can be picked instead.
        assertEquals(
            listOf(COUNT_FROM_SYNCED_LAST to true, "SH-FAKE-0001" to false, "SH-FAKE-0002" to false),
            synced.countFrom.map { it.id to it.selected },
        )
    }

    @Test
    fun `the user picks the sensor walks and sets count from, a later sync does not move it, and the rule comes back on asking`() {
        val (radio, devices) = twoPaired()

        devices.countSessionsFrom("SH-FAKE-0001")
        val chosen = devices.until("the choice shown") { it.message == "Walks and sets now count from SH-FAKE-0001" }
        val first = chosen.devices.single { it.id == "SH-FAKE-0001" }
        assertTrue(first.detail.endsWith("counts your walks and sets, as you chose"), first.detail)
        assertEquals(listOf("SH-FAKE-0001"), chosen.countFrom.filter { it.selected }.map { it.id }, "the pick is the choice shown")
        assertEquals("SH-FAKE-0001", app.sensors().forSessions()?.serial, "the core counts from it")
        assertEquals("SH-FAKE-0001", LiveFeed(Core(app, AppClock()), radio, scope).sensor()?.serial, "and so do live sessions")

        // The other one synced since: the choice stands.
        Thread.sleep(5)
        devices.sync("SH-FAKE-0002")
        devices.until("the other sensor synced") { s -> s.sync == null && s.message?.startsWith("Synced") == true }
        assertEquals("SH-FAKE-0001", app.sensors().forSessions()?.serial)

        devices.countSessionsFrom(null)
        val automatic = devices.until("back to the rule") { it.message == "Walks and sets now count from the sensor synced last" }
        assertEquals("SH-FAKE-0002", app.sensors().forSessions()?.serial)
        assertTrue(automatic.devices.single { it.id == "SH-FAKE-0002" }.detail.endsWith("counts your walks and sets"))
    }

    @Test
    fun `of two quick taps on the count-from choices, the later one stays, whichever write runs first`() {
        val (radio, _) = twoPaired()

        // A model whose work waits until let go, the later tap's first; its scope starts each tap's work at once,
        // so the work is held in the order of the taps.
        val held = HeldDispatcher()
        val inOrder = kotlinx.coroutines.CoroutineScope(kotlinx.coroutines.SupervisorJob() + Dispatchers.Unconfined)
        val tapped = DevicesModel(Core(app, AppClock()), Formats(), radio, inOrder, held, SessionPlatform.None)
        held.runNewestFirst(atLeast = 0)
        tapped.countSessionsFrom("SH-FAKE-0001")
        tapped.countSessionsFrom("SH-FAKE-0002")
        held.runNewestFirst(atLeast = 2)
        held.runNewestFirst(atLeast = 0)
        assertEquals("SH-FAKE-0002", app.sensors().forSessions()?.serial, "the later tap's choice stays")
        assertEquals("Walks and sets now count from SH-FAKE-0002", tapped.state.value.message)
    }

    /** Holds the work sent to it until [runNewestFirst] lets it go, the newest first. */
    private class HeldDispatcher : kotlinx.coroutines.CoroutineDispatcher() {
        private val held = java.util.concurrent.LinkedBlockingDeque<Runnable>()

        override fun dispatch(context: kotlin.coroutines.CoroutineContext, block: Runnable) = held.putLast(block)

        /** Waits (up to 10 s) until at least [atLeast] pieces of work are held, then runs everything held, newest first. */
        fun runNewestFirst(atLeast: Int) {
            val until = System.nanoTime() + 10_000_000_000
            while (held.size < atLeast && System.nanoTime() < until) Thread.sleep(1)
            while (true) (held.pollLast() ?: return).run()
        }
    }

    @Test
    fun `live data comes from the sensor asked for, not the first one paired`() {
        val otherPod = FoundSensor("00:00:00:00:00:04", "Second Heart sensor", "00:00:00:00:00:04 · -61 dBm")
        val radio = FakeRadio(at = mapOf(otherPod.id to otherSensor))
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the first sensor paired") { s -> s.sync == null && s.devices.count { it.paired } == 1 }
        devices.pair(otherPod.id)
        devices.until("both sensors paired") { s -> s.sync == null && s.devices.count { it.paired } == 2 }

        devices.showLive("SH-FAKE-0002")
        awaitLiveStarted { radio.clientsAt[otherPod.id].orEmpty() }
        radio.clientsAt.getValue(otherPod.id).last().advance(2_000)
        val shown = devices.until("a frame shown") { it.live?.frames?.endsWith("lost") == true }
        assertEquals("SH-FAKE-0002", shown.live?.serial)
        assertFalse(anyWrote(radio.clientsAt[pod.id].orEmpty(), 0x01), "the first sensor was not asked for live data")
        devices.stopLive()
        devices.until("the live data gone") { it.live == null }
    }

    /** [inner], with every Live Frame notification delivered twice, as a radio may repeat one. */
    @OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
    private class RepeatingFrames(private val inner: DemoGattClient) : GattClient by inner {
        private val liveFrame = java.util.UUID.fromString(sensorUuids().liveFrame)
        override val events: ReceiveChannel<GattEvent> = CoroutineScope(Dispatchers.Default).produce(capacity = Channel.UNLIMITED) {
            for (event in inner.events) {
                send(event)
                if (event is GattEvent.Value && event.characteristic == liveFrame) send(event)
            }
        }
    }

    @Test
    fun `a live frame that arrives twice is neither counted twice nor as thousands lost`() {
        val clients = java.util.concurrent.CopyOnWriteArrayList<DemoGattClient>()
        val radio = object : SensorRadio {
            override suspend fun scan(onFound: (FoundSensor) -> Unit) = onFound(pod)
            override fun link(id: String): BleLink = PlatformBleLink(RepeatingFrames(DemoGattClient(sensor).also { clients += it }))
        }
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        devices.showLive("SH-FAKE-0001")
        awaitLiveStarted { clients }
        clients.last().advance(2_000)
        val shown = devices.until("frames shown") { it.live?.frames?.endsWith("lost") == true }
        assertTrue(shown.live!!.frames.endsWith(" · none lost"), shown.live!!.frames)
        devices.stopLive()
        devices.until("the live data gone") { it.live == null }
    }

    @Test
    fun `a sensor forgotten and paired again says its earlier records were fetched before, not lost`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        val first = devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        assertTrue(Regex("^Synced [\\d,]+ new records from SH-FAKE-0001$").matches(first.message!!), first.message)
        devices.forget("SH-FAKE-0001")
        devices.until("the sensor forgotten") { it.message?.startsWith("Forgot ") == true }

        devices.pair(pod.id)
        val again = devices.until("paired again") { s -> s.sync == null && s.message?.startsWith("Synced ") == true }
        val said = again.message!!
        assertTrue(Regex("; [\\d,]+ earlier records were no longer on it, fetched and cleared before$").containsMatchIn(said), said)
        assertFalse(said.contains("lost"), "nothing was lost: $said")
    }

    @Test
    fun `live data for a sensor no longer paired says so instead of connecting for ever`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        devices.forget("SH-FAKE-0001")
        devices.until("the sensor forgotten") { it.message?.startsWith("Forgot ") == true }

        devices.showLive("SH-FAKE-0001")
        val refused = devices.until("the live data refused") { it.message?.startsWith("Live data did not start") == true }
        assertEquals("Live data did not start: SH-FAKE-0001 is not paired", refused.message)
        assertEquals(null, refused.live)
    }

    @Test
    fun `with the radio gone, live data and a sync of a paired sensor say why in words, and a forgotten serial is not synced`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val gone = "No Bluetooth here: no Bluetooth adapter found; plug one in or switch Bluetooth on."
        val offline = model(object : SensorRadio {
            override suspend fun scan(onFound: (FoundSensor) -> Unit) = throw RadioUnavailable(gone)
            override fun link(id: String): BleLink = throw RadioUnavailable(gone)
        })

        offline.showLive("SH-FAKE-0001")
        val refused = offline.until("the live data refused") { it.message?.startsWith("Live data did not start") == true }
        assertEquals("Live data did not start: $gone", refused.message)
        assertEquals(null, refused.live, "no Connecting… left on screen")

        offline.sync("SH-FAKE-0001")
        val unsynced = offline.until("the sync refused") { it.message == gone }
        assertEquals(null, unsynced.sync)

        offline.sync("SH-NEVER-PAIRED")
        offline.until("the unknown serial refused") { it.message == "Sync did not start: SH-NEVER-PAIRED is not paired" }
    }

    @Test
    fun `a scan refused a permission offers the phone's settings for the app, and only while it says so`() {
        val refused = "Second Heart needs the Nearby devices permission to find and sync your sensor: allow it in the phone's settings for the app."
        var allowed = false
        var opened = 0
        val phone = object : SessionPlatform {
            override fun openAppPermissions() {
                opened++
            }
        }
        val radio = object : SensorRadio {
            override suspend fun scan(onFound: (FoundSensor) -> Unit) {
                if (!allowed) throw RadioUnavailable(refused, permissionRefused = true)
            }

            override fun link(id: String): BleLink = throw RadioUnavailable(refused, permissionRefused = true)
        }
        // As the app runs it: the demo sensor offered in the radio's place.
        val devices = model(WithDemoSensor(radio, DemoRadio()), phone)
        devices.scan()
        val said = devices.until("the refusal said") { !it.scanning && it.message != null }
        assertEquals("$refused You can pair the demo sensor instead.", said.message)
        assertTrue(said.permissionRefused)
        devices.openAppPermissions()
        assertEquals(1, opened)
        // A pairing refused the same way offers it too.
        devices.pair("00:11:22:33:AA:02")
        val pairing = devices.until("the pairing refused") { it.sync == null && it.message == refused }
        assertTrue(pairing.permissionRefused)
        // The demo sensor paired instead: its words, and no button left beside them.
        devices.pair("SH-DEMO-0001")
        val paired = devices.until("the demo sensor paired") { s -> s.sync == null && s.devices.any { it.paired } && s.message != refused }
        assertFalse(paired.permissionRefused, "${paired.message}")
        // Allowed in the phone's settings: the next scan says nothing of it, read afresh.
        allowed = true
        devices.scan()
        devices.until("a scan without the refusal") { !it.scanning && it.message == null }
        runBlocking { devices.refresh() }
        assertEquals(false, devices.state.value.permissionRefused)
    }

    @Test
    fun `a set the sensor cannot count says why on Exercises, and the words stay there`() {
        val radio = FakeRadio(pod)
        AppModels(Core(app, AppClock()), radio, dir.resolve("exports").toFile(), scope, Dispatchers.IO).use { models ->
            models.devices.pair(pod.id)
            models.devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
            models.devices.showLive("SH-FAKE-0001")
            awaitLiveStarted { radio.clients }

            models.exercises.startCalfRaises()
            val said = runBlocking {
                withTimeout(30_000) { models.exercises.state.first { it.message != null && it.set?.counting == SetCounting.Taps } }
            }
            assertEquals(
                "The sensor is not counting this set: sensor SH-FAKE-0001 is busy streaming live data: wait for it to end or stop it, then try again. Tap each rep instead.",
                said.message,
            )
            // A rep tapped later redraws the screen: the words are still there.
            models.exercises.rep(null)
            val tapped = runBlocking { withTimeout(30_000) { models.exercises.state.first { it.set?.reps == 1 } } }
            assertEquals(said.message, tapped.message)
            models.devices.stopLive()
        }
    }

    @Test
    fun `two quick taps on Sync start one sync, which Cancel ends even while it connects`() {
        val radio = FakeRadio(pod)
        val devices = model(radio)
        devices.pair(pod.id)
        devices.until("the sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        // From here on a slow radio: each notification takes half a second, so the sync is still running when Cancel comes.
        val slow = FakeRadio(pod, pace = 500)
        val syncing = model(slow)

        // The first tap waits for the radio while the second comes: the second is a tap too many.
        val slowRadio = java.util.concurrent.CountDownLatch(1)
        slow.hold = slowRadio
        syncing.sync("SH-FAKE-0001")
        syncing.sync("SH-FAKE-0001")
        slowRadio.countDown()

        // Cancel while it connects: it applies as soon as the sync has started.
        syncing.until("the sync connecting") { it.sync != null }
        syncing.cancelSync()
        val cancelled = syncing.until("the sync cancelled") { it.sync == null && it.message != null }
        assertEquals("Sync cancelled: the records so far are kept, the next sync resumes", cancelled.message)
        assertEquals(1, slow.linked.size, "one sync reached the radio")
    }
}
