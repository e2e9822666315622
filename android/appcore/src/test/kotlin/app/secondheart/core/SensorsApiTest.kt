package app.secondheart.core

import java.nio.file.Path
import java.util.UUID
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.BleLink
import uniffi.second_heart.BleLinkEvent
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SyncListener
import uniffi.second_heart.SyncReport

/**
 * The sensors service and the sync task over the Kotlin Bluetooth path:
 * cancelling (through the handle and through the coroutine) tells the
 * sensor to stop, a reset or swapped sensor is refused, and a link that
 * throws ends the sync with a typed error.
 */
class SensorsApiTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var core: SecondHeart
    private val sensors = mutableListOf<DemoSensor>()

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock())
    }

    @AfterEach
    fun close() {
        core.close()
        sensors.forEach { it.close() }
    }

    private fun sensor(serial: String = SERIAL, hours: Double = 6.0) = core.demoSensor(serial, hours).also { sensors += it }

    /** A listener whose outcome a test waits for. */
    private class Outcome : SyncListener {
        val result = CompletableFuture<Any>()
        val progress = java.util.concurrent.CopyOnWriteArrayList<Int>()
        var onProgress: (Int) -> Unit = {}

        override fun onProgress(recordsDone: UInt, recordsTotal: UInt) {
            progress += recordsDone.toInt()
            onProgress(recordsDone.toInt())
        }

        override fun onFinished(report: SyncReport) {
            result.complete(report)
        }

        override fun onFailed(error: SecondHeartException) {
            result.complete(error)
        }

        fun await(): Any = result.get(60, TimeUnit.SECONDS)
    }

    private fun syncFully(demo: DemoSensor): SyncReport = runBlocking {
        (SensorSync(core, "demo", PlatformBleLink(DemoGattClient(demo))).run() as SensorSyncOutcome.Done).report
    }

    @Test
    fun `a sync stores the sensor's records, summary and forget agree`() {
        val demo = sensor()
        val newestBefore = demo.newestRecord()
        val report = syncFully(demo)
        // The sensor keeps recording while it syncs: everything up to the start at least.
        assertTrue(report.highWater in newestBefore..demo.newestRecord(), "$report")
        val summary = core.sensors().summary(SERIAL)!!
        assertEquals(report.highWater.toULong(), summary.records)
        assertEquals(report.highWater, summary.highWater)
        assertEquals(0uL, summary.gapRecords)
        assertNull(core.sensors().summary("SH-NEVER-SEEN"))

        assertEquals(summary.records, core.sensors().forget(SERIAL))
        assertNull(core.sensors().summary(SERIAL))
        assertTrue(core.sensors().paired().none { it.serial == SERIAL })
    }

    @Test
    fun `cancelling through the task handle sends the sensor an RACP Abort and drops the link`() {
        val demo = sensor()
        val gatt = RecordingGattClient(DemoGattClient(demo, mtu = 23), holdDeletes = true)
        val outcome = Outcome()
        val handle = core.sensors().pair(PlatformBleLink(gatt), "demo", outcome)
        // The records are committed and the sensor is asked to delete them: cancel now.
        assertTrue(eventually { gatt.sawDelete() })
        assertFalse(handle.isCancelled())
        handle.cancel()
        assertTrue(handle.isCancelled())

        val error = outcome.await() as SecondHeartException.SyncCancelled
        assertEquals("sync_cancelled", error.code())
        assertTrue(gatt.sawAbort(), "the sensor was told to stop: ${gatt.writes}")
        assertTrue(gatt.disconnects >= 1, "the link was dropped")
        handle.close()

        val kept = core.sensors().summary(SERIAL)!!.records
        assertTrue(kept > 0uL)
        val next = syncFully(demo)
        assertEquals(0u, next.duplicatesIgnored)
        assertEquals(next.highWater.toULong(), core.sensors().summary(SERIAL)!!.records)
        assertEquals(kept + next.recordsStored.toULong(), core.sensors().summary(SERIAL)!!.records)
    }

    @Test
    fun `cancelling the coroutine running SensorSync sends the Abort too and the next sync resumes`() = runBlocking {
        val demo = sensor()
        val gatt = RecordingGattClient(DemoGattClient(demo, mtu = 23), holdDeletes = true)
        val job = async(Dispatchers.IO, start = CoroutineStart.UNDISPATCHED) { SensorSync(core, "demo", PlatformBleLink(gatt)).run() }
        assertTrue(eventually { gatt.sawDelete() })
        job.cancel()
        assertTrue(job.isCancelled)
        assertTrue(eventually { gatt.sawAbort() }, "the sensor was told to stop: ${gatt.writes}")
        assertTrue(eventually { gatt.disconnects >= 1 }, "the link was dropped")

        val kept = core.sensors().summary(SERIAL)!!.records
        val next = syncFully(demo)
        assertEquals(0u, next.duplicatesIgnored)
        assertEquals(kept + next.recordsStored.toULong(), core.sensors().summary(SERIAL)!!.records)
        assertEquals(next.highWater.toULong(), core.sensors().summary(SERIAL)!!.records)
    }

    @Test
    fun `a handle closed before the sync starts its work still ends the sync`() {
        val outcome = Outcome()
        val handle = core.sensors().pair(PlatformBleLink(DemoGattClient(sensor())), "demo", outcome)
        handle.close()
        assertTrue(outcome.await() is SecondHeartException.SyncCancelled || outcome.await() is SyncReport)
    }

    @Test
    fun `a sensor that was reset (fewer records under the same serial) is refused as SensorReset`() {
        syncFully(sensor(hours = 6.0))
        val stored = core.sensors().summary(SERIAL)!!.records
        val reset = sensor(hours = 1.0)
        val outcome = runBlocking { SensorSync(core, "demo", PlatformBleLink(DemoGattClient(reset))).run() }
        val error = (outcome as SensorSyncOutcome.Failed).error as SecondHeartException.SensorReset
        assertEquals("sensor_reset", error.code())
        assertEquals(SERIAL, error.serial, "named, for the offer to keep its history")
        assertTrue(error.detail.isNotBlank())
        assertEquals(stored, core.sensors().summary(SERIAL)!!.records, "nothing stored is lost or doubled")
    }

    @Test
    fun `a different sensor answering the reconnect is refused as WrongSensor`() {
        val first = DemoGattClient(sensor(), mtu = 23, dropLinkAfterRecordNotifications = 40)
        val other = DemoGattClient(sensor(serial = "SH-KT-OTHER"), mtu = 23)
        val outcome = runBlocking { SensorSync(core, "demo", PlatformBleLink(SwapOnReconnect(first, other))).run() }
        val error = (outcome as SensorSyncOutcome.Failed).error as SecondHeartException.WrongSensor
        assertEquals("wrong_sensor", error.code())
        assertEquals(SERIAL, error.expected)
        assertEquals("SH-KT-OTHER", error.found)
        assertNull(core.sensors().summary("SH-KT-OTHER"), "nothing from the other sensor is stored")
    }

    @Test
    fun `a foreign link whose every call throws ends in SyncGaveUp with the platform's message`() {
        val outcome = Outcome()
        core.sensors().pair(ThrowingLink(), "demo", outcome).use {
            val error = outcome.await() as SecondHeartException.SyncGaveUp
            assertEquals("sync_gave_up", error.code())
            assertEquals(6u, error.attempts)
            assertTrue(error.last.contains("radio on fire"), error.last)
        }
        assertNull(core.sensors().summary(SERIAL))
    }

    @Test
    fun `a foreign link that throws while waiting for events ends the sync instead of hanging it`() {
        val outcome = Outcome()
        val link = object : BleLink by PlatformBleLink(DemoGattClient(sensor(), mtu = 23)) {
            override suspend fun nextEvent(): BleLinkEvent = throw IllegalStateException("event queue broke")
        }
        core.sensors().pair(link, "demo", outcome).use {
            // Each throw counts as a dropped link; no record ever arrives, so it gives up.
            val error = outcome.await() as SecondHeartException.SyncGaveUp
            assertEquals(6u, error.attempts)
        }
        assertEquals(0uL, core.sensors().summary(SERIAL)?.records ?: 0uL)
    }

    @Test
    fun `a foreign link that throws when asked for its MTU still syncs at the default MTU`() = runBlocking {
        val demo = sensor()
        val link = object : BleLink by PlatformBleLink(DemoGattClient(demo, mtu = 247)) {
            override fun mtu(): UShort = throw IllegalStateException("MTU unknown")
        }
        val report = (SensorSync(core, "demo", link).run() as SensorSyncOutcome.Done).report
        assertEquals(0u, report.duplicatesIgnored)
        assertEquals(report.highWater.toULong(), core.sensors().summary(SERIAL)!!.records)
    }

    @Test
    fun `the demo sensor refuses bad input with typed errors`() {
        val tooLong = assertThrows<SecondHeartException.InvalidInput> { DemoSensor(SERIAL, 100.0, AppClock()) }
        assertEquals("hours", tooLong.field)
        val demo = sensor()
        val notUuid = assertThrows<SecondHeartException.InvalidInput> { demo.read("battery") }
        assertEquals("characteristic", notUuid.field)
        val unknown = assertThrows<SecondHeartException.Bluetooth> { demo.read(UUID.randomUUID().toString()) }
        assertEquals("bluetooth", unknown.code())
        assertTrue(demo.newestRecord() > 300u, "six hours of records")
        assertNull(demo.takeOutgoing(), "nothing is sent before anyone subscribes")
    }

    /** A link the platform's stack keeps refusing, throwing plain exceptions. */
    private class ThrowingLink : BleLink {
        override suspend fun connect() = throw IllegalStateException("radio on fire")
        override fun mtu(): UShort = 23u
        override suspend fun read(characteristic: String): ByteArray = throw IllegalStateException("radio on fire")
        override suspend fun write(characteristic: String, value: ByteArray) = throw IllegalStateException("radio on fire")
        override suspend fun writeWithoutResponse(characteristic: String, value: ByteArray) =
            throw IllegalStateException("radio on fire")
        override suspend fun subscribe(characteristic: String) = throw IllegalStateException("radio on fire")
        override suspend fun nextEvent(): BleLinkEvent = BleLinkEvent.Disconnected
        override suspend fun disconnect() = Unit
    }

    /** The first connection reaches [first]; every later one reaches [second]. */
    private class SwapOnReconnect(private val first: GattClient, private val second: GattClient) : GattClient {
        @Volatile
        private var current = first
        private var connects = 0
        override val mtu: Int get() = current.mtu
        override val events: ReceiveChannel<GattEvent> get() = current.events

        override suspend fun connect() {
            if (connects++ > 0) current = second
            current.connect()
        }

        override suspend fun read(characteristic: UUID): ByteArray = current.read(characteristic)
        override suspend fun write(characteristic: UUID, value: ByteArray) = current.write(characteristic, value)
        override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) =
            current.writeWithoutResponse(characteristic, value)
        override suspend fun enableNotifications(characteristic: UUID) = current.enableNotifications(characteristic)
        override suspend fun disconnect() = current.disconnect()
    }

    private companion object {
        const val SERIAL = "SH-KT-0001"
    }
}
