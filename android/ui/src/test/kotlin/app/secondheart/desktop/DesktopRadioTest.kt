package app.secondheart.desktop

import app.secondheart.core.AppClock
import app.secondheart.state.Core
import app.secondheart.state.DemoRadio
import app.secondheart.state.DevicesModel
import app.secondheart.state.Formats
import app.secondheart.state.RadioUnavailable
import app.secondheart.state.WithDemoSensor
import java.nio.file.Path
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart

/**
 * The desktop app's radio over the library's DesktopBluetooth where there
 * is no such adapter (whether this machine has BlueZ or not): it says so,
 * and Devices offers the demo sensor. Scanning and pairing a sensor over
 * BlueZ is tested through the same library object in tests/ble-e2e.sh.
 */
class DesktopRadioTest {
    @TempDir
    lateinit var dir: Path

    private val missing = "hci-none"

    @Test
    fun `an adapter that is not there is unavailable, saying why`() {
        val error = assertThrows<RadioUnavailable> { runBlocking { DesktopRadio(missing).scan { } } }
        assertTrue(error.message!!.startsWith("No Bluetooth here: "), error.message)
        assertThrows<RadioUnavailable> { DesktopRadio(missing).link("00:00:00:00:00:02") }
    }

    @Test
    fun `without an adapter Devices says so and offers the demo sensor`() {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock()).use { app ->
            val devices = DevicesModel(Core(app, AppClock()), Formats(), WithDemoSensor(DesktopRadio(missing), DemoRadio()), scope, Dispatchers.IO)
            devices.scan()
            val shown = runBlocking { withTimeout(30_000) { devices.state.first { !it.scanning && it.message != null } } }
            assertTrue(shown.message!!.startsWith("No Bluetooth here: "), shown.message)
            assertTrue(shown.message!!.endsWith("You can pair the demo sensor instead."), shown.message)
            assertEquals(listOf("SH-DEMO-0001"), shown.devices.map { it.id })
        }
        scope.cancel()
    }
}
