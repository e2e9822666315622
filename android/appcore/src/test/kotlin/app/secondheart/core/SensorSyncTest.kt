package app.secondheart.core

import java.nio.file.Path
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.BleLinkEvent
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.sensorUuids

/** The Kotlin Bluetooth path against a fake GATT replaying the simulated sensor. */
class SensorSyncTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var core: SecondHeart
    private lateinit var sensor: DemoSensor

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock())
        sensor = core.demoSensor("SH-KT-0001", 6.0)
    }

    @AfterEach
    fun close() {
        core.close()
        sensor.close()
    }

    private fun stored() = core.sensors().summary("SH-KT-0001")!!

    private companion object {
        const val ADDRESS = "demo:SH-KT-0001"
        val CONTROL_POINT = sensorUuids().controlPoint
        val STATUS: java.util.UUID = java.util.UUID.fromString(sensorUuids().status)
    }

    @Test
    fun `a sync through the platform link stores every record once`() = runBlocking {
        val progress = mutableListOf<Int>()
        val outcome = SensorSync(core, ADDRESS, PlatformBleLink(DemoGattClient(sensor))).run { done, _ -> progress += done }
        val report = (outcome as SensorSyncOutcome.Done).report
        assertEquals("SH-KT-0001", report.serial)
        assertTrue(report.recordsStored > 300u, "$report")
        assertEquals(0u, report.duplicatesIgnored)
        assertEquals(report.highWater.toULong(), stored().records)
        assertTrue(progress.isNotEmpty() && progress.last() == report.highWater.toInt(), "$progress")
    }

    @Test
    fun `a link dropped mid-transfer reconnects and resumes without loss or doubles`() = runBlocking {
        val client = DemoGattClient(sensor, mtu = 23, dropLinkAfterRecordNotifications = 40)
        val report = (SensorSync(core, ADDRESS, PlatformBleLink(client)).run() as SensorSyncOutcome.Done).report
        assertEquals(2, client.connections)
        assertEquals(2u, report.connections)
        assertEquals(0u, report.duplicatesIgnored)
        assertEquals(report.highWater.toULong(), stored().records)
        assertEquals(report.highWater, stored().highWater)
    }

    @Test
    fun `a cancelled sync keeps what it stored and the next one resumes`() = runBlocking {
        val sync = SensorSync(core, ADDRESS, PlatformBleLink(DemoGattClient(sensor, mtu = 23, dropLinkAfterRecordNotifications = 60)))
        // Cancel as soon as the first records are safely stored.
        val first = sync.run { done, _ -> if (done > 0) sync.cancel() }
        assertEquals(SensorSyncOutcome.Cancelled, first)
        val kept = stored().records
        assertTrue(kept > 0u, "the records committed before cancelling stay")

        val second = (SensorSync(core, ADDRESS, PlatformBleLink(DemoGattClient(sensor))).run() as SensorSyncOutcome.Done).report
        assertEquals(0u, second.duplicatesIgnored)
        assertEquals(kept + second.recordsStored.toULong(), stored().records)
        assertEquals(second.highWater.toULong(), stored().records)
    }

    @Test
    fun `writes without response reach the sensor through the platform link`() = runBlocking {
        val client = DemoGattClient(sensor)
        val link = PlatformBleLink(client)
        link.connect()
        link.subscribe(CONTROL_POINT)
        // Start Live Frames at 25 samples a second: the sensor answers on the control point.
        link.writeWithoutResponse(CONTROL_POINT, byteArrayOf(0x01, 25))
        assertEquals(1, client.writesWithoutResponse)
        val answer = link.nextEvent() as BleLinkEvent.Notification
        assertEquals(CONTROL_POINT, answer.characteristic)
        assertEquals(listOf<Byte>(0x80.toByte(), 0x01, 0x01), answer.value.toList())
    }

    @Test
    fun `a sensor that keeps failing ends in a clear failure`() = runBlocking {
        val broken = object : GattClient by DemoGattClient(sensor) {
            override suspend fun connect() = throw IllegalStateException("GATT status 133")
        }
        val outcome = SensorSync(core, ADDRESS, PlatformBleLink(broken)).run()
        val reason = (outcome as SensorSyncOutcome.Failed).reason
        assertTrue(reason.contains("GATT status 133"), reason)
    }

    /** The demo sensor, with its Status characteristic read through [status]. */
    private fun statusAltered(status: (ByteArray) -> ByteArray): GattClient {
        val demo = DemoGattClient(sensor)
        return object : GattClient by demo {
            override suspend fun read(characteristic: java.util.UUID): ByteArray =
                demo.read(characteristic).let { if (characteristic == STATUS) status(it) else it }
        }
    }

    @Test
    fun `a sensor that breaks the protocol fails with a typed error, stores nothing and syncs once mended`() = runBlocking {
        // Firmware whose Status holds records from an oldest above its newest.
        val impossible = statusAltered { bytes ->
            val newest = java.nio.ByteBuffer.wrap(bytes, 5, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).int
            bytes.copyOf().also { java.nio.ByteBuffer.wrap(it, 1, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(newest + 5) }
        }
        val failed = SensorSync(core, ADDRESS, PlatformBleLink(impossible)).run() as SensorSyncOutcome.Failed
        val error = failed.error as SecondHeartException.SensorProtocol
        assertEquals("sensor_protocol", error.code())
        assertTrue(error.detail.contains("which cannot be"), error.detail)
        assertEquals(0uL, core.sensors().summary("SH-KT-0001")?.records ?: 0uL, "no record is stored from a sensor that broke the protocol")

        // The same sensor, answering properly, then syncs every record once.
        val report = (SensorSync(core, ADDRESS, PlatformBleLink(DemoGattClient(sensor))).run() as SensorSyncOutcome.Done).report
        assertEquals(0u, report.duplicatesIgnored)
        assertEquals(report.highWater.toULong(), stored().records)
    }
}
