package app.secondheart.android

import android.Manifest
import android.bluetooth.BluetoothManager
import android.bluetooth.le.ScanRecord
import android.bluetooth.le.ScanResult
import app.secondheart.state.FoundSensor
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import app.secondheart.state.RadioUnavailable
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBluetoothLeScanner
import uniffi.second_heart.sensorUuids

/**
 * The phone's scan against Robolectric's Bluetooth shadows: it asks for
 * Second Heart sensors and RSC foot pods, as the iOS app and the desktop
 * do, and lists each as the radios name them.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class AndroidRadioTest {
    private val app = RuntimeEnvironment.getApplication()

    /** An advertisement: flags, then each of [structures] (AD type to data), length-prefixed. */
    private fun advert(vararg structures: Pair<Int, ByteArray>): ScanRecord {
        val bytes = listOf(0x01 to byteArrayOf(0x06)).plus(structures).fold(byteArrayOf()) { out, (type, data) ->
            out + byteArrayOf((data.size + 1).toByte(), type.toByte()) + data
        }
        return ScanRecord.parseFromBytes(bytes)
    }

    /** The calf-pump service UUID as advertised: 128 bits, least significant byte first. */
    private val calfPump128 = java.util.UUID.fromString(sensorUuids().calfPumpService).let { u ->
        val buffer = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        buffer.putLong(u.leastSignificantBits).putLong(u.mostSignificantBits)
        buffer.array()
    }

    @Test
    fun `a scan finds Second Heart sensors and RSC foot pods, each named by what it advertised or by its kind`() = runBlocking {
        shadowOf(app).grantPermissions(Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        val adapter = app.getSystemService(BluetoothManager::class.java).adapter
        shadowOf(adapter).setEnabled(true)
        // Robolectric's scanner hands a scan the results it holds that match its filters.
        val scanner = Shadow.extract<ShadowBluetoothLeScanner>(adapter.bluetoothLeScanner)
        val sensor = adapter.getRemoteDevice("00:11:22:33:AA:02")
        val footPod = adapter.getRemoteDevice("00:11:22:33:AA:03")
        val heartRateStrap = adapter.getRemoteDevice("00:11:22:33:AA:04")
        scanner.addScanResult(ScanResult(sensor, advert(0x07 to calfPump128, 0x09 to "SH-1".toByteArray()), -48, 0))
        scanner.addScanResult(ScanResult(footPod, advert(0x03 to byteArrayOf(0x14, 0x18)), -71, 0))
        scanner.addScanResult(ScanResult(heartRateStrap, advert(0x03 to byteArrayOf(0x0D, 0x18)), -60, 0))

        val found = java.util.concurrent.CopyOnWriteArrayList<FoundSensor>()
        val scan = launch(start = CoroutineStart.UNDISPATCHED) { AndroidRadio(app, scanMillis = 60_000).scan { found += it } }
        val asked = scanner.activeScans.single().scanFilters().map { it.serviceUuid?.uuid.toString() }.toSet()
        assertEquals(sensorUuids().let { setOf(it.calfPumpService, it.runningSpeedAndCadence) }, asked)
        assertEquals(
            listOf(
                FoundSensor("00:11:22:33:AA:02", "SH-1", "00:11:22:33:AA:02 · -48 dBm"),
                FoundSensor("00:11:22:33:AA:03", "Foot pod", "00:11:22:33:AA:03 · -71 dBm · live cadence only"),
            ),
            found.sortedBy { it.id },
        )
        scan.cancel()
        scan.join()
        assertEquals("the scan stopped with the coroutine", 0, scanner.activeScans.size)
    }

    @Test
    fun `a scan the phone refuses, or Bluetooth off, is said in words instead of finding nothing`() {
        shadowOf(app).grantPermissions(Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        val adapter = app.getSystemService(BluetoothManager::class.java).adapter
        shadowOf(adapter).setEnabled(true)
        val scanner = Shadow.extract<ShadowBluetoothLeScanner>(adapter.bluetoothLeScanner)
        val refused = runBlocking {
            val scan = async(start = CoroutineStart.UNDISPATCHED) {
                runCatching { AndroidRadio(app, scanMillis = 60_000).scan {} }.exceptionOrNull()
            }
            // The phone's Bluetooth stack refuses the scan (SCAN_FAILED_APPLICATION_REGISTRATION_FAILED).
            scanner.activeScans.single().scanCallback()!!.onScanFailed(2)
            scan.await()
        }
        assertTrue("$refused", refused is RadioUnavailable && refused.message!!.contains("could not scan"))
        assertEquals("the scan stopped", 0, scanner.activeScans.size)

        shadowOf(adapter).setEnabled(false)
        val radio = AndroidRadio(app, scanMillis = 10)
        for (use in listOf<() -> Unit>({ runBlocking { radio.scan {} } }, { radio.link("00:11:22:33:AA:02") })) {
            val off = assertThrows(RadioUnavailable::class.java) { use() }
            assertTrue(off.message!!, off.message!!.startsWith("Bluetooth is off"))
            assertFalse("no permission to allow", off.permissionRefused)
        }
    }

    @Test
    fun `before Android 12, a scan with Location off says so instead of finding nothing`() {
        shadowOf(app).grantPermissions(Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT, Manifest.permission.ACCESS_FINE_LOCATION)
        shadowOf(app.getSystemService(BluetoothManager::class.java).adapter).setEnabled(true)
        val location = app.getSystemService(android.location.LocationManager::class.java)
        shadowOf(location).setLocationEnabled(false)
        // Only Android 14's framework is fetched for these tests: the radio reads the version it runs on.
        val sdk = android.os.Build.VERSION.SDK_INT
        org.robolectric.util.ReflectionHelpers.setStaticField(android.os.Build.VERSION::class.java, "SDK_INT", 30)
        try {
            val off = assertThrows(RadioUnavailable::class.java) { runBlocking { AndroidRadio(app, scanMillis = 10).scan {} } }
            assertTrue(off.message!!, off.message!!.startsWith("Location is off"))
            // With Location on, the scan runs.
            shadowOf(location).setLocationEnabled(true)
            runBlocking { AndroidRadio(app, scanMillis = 10).scan {} }
        } finally {
            org.robolectric.util.ReflectionHelpers.setStaticField(android.os.Build.VERSION::class.java, "SDK_INT", sdk)
        }
    }

    @Test
    fun `without the Nearby devices permission the radio says so instead of ending the app`() {
        shadowOf(app.getSystemService(BluetoothManager::class.java).adapter).setEnabled(true)
        val radio = AndroidRadio(app, scanMillis = 10)
        for (use in listOf<() -> Unit>({ runBlocking { radio.scan {} } }, { radio.link("00:11:22:33:AA:02") })) {
            val refused = assertThrows(RadioUnavailable::class.java) { use() }
            assertTrue(refused.message!!, refused.message!!.contains("Nearby devices permission"))
            assertTrue("the phone's settings for the app are where to allow it", refused.permissionRefused)
        }
    }
}
