package app.secondheart.android

import android.Manifest
import android.bluetooth.BluetoothGatt
import android.bluetooth.BluetoothGattCallback
import android.bluetooth.BluetoothGattCharacteristic
import android.bluetooth.BluetoothGattDescriptor
import android.bluetooth.BluetoothGattService
import android.bluetooth.BluetoothManager
import android.os.Looper
import app.secondheart.core.GattEvent
import java.util.UUID
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBluetoothGatt
import uniffi.second_heart.sensorUuids

/**
 * The Android GATT client against Robolectric's Bluetooth shadows, which
 * play the sensor: they answer MTU requests, discovery, writes and CCCD
 * writes through the real BluetoothGattCallback.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class AndroidGattClientTest {
    private val app = RuntimeEnvironment.getApplication()
    private val device = app.getSystemService(BluetoothManager::class.java).adapter.getRemoteDevice("00:11:22:33:AA:BB")
    private lateinit var client: AndroidGattClient

    private val service = BluetoothGattService(SERVICE, BluetoothGattService.SERVICE_TYPE_PRIMARY)
    private val controlPoint = BluetoothGattCharacteristic(
        CONTROL_POINT,
        BluetoothGattCharacteristic.PROPERTY_WRITE or BluetoothGattCharacteristic.PROPERTY_WRITE_NO_RESPONSE or BluetoothGattCharacteristic.PROPERTY_INDICATE,
        BluetoothGattCharacteristic.PERMISSION_WRITE,
    ).apply { addDescriptor(BluetoothGattDescriptor(AndroidGattClient.CCCD, BluetoothGattDescriptor.PERMISSION_WRITE)) }
    private val record = BluetoothGattCharacteristic(RECORD, BluetoothGattCharacteristic.PROPERTY_NOTIFY, 0)
        .apply { addDescriptor(BluetoothGattDescriptor(AndroidGattClient.CCCD, BluetoothGattDescriptor.PERMISSION_WRITE)) }

    @Before
    fun setUp() {
        shadowOf(app).grantPermissions(Manifest.permission.BLUETOOTH_CONNECT, Manifest.permission.BLUETOOTH_SCAN)
        service.addCharacteristic(controlPoint)
        service.addCharacteristic(record)
        client = AndroidGattClient(app, device)
    }

    private fun gatt(): BluetoothGatt = shadowOf(device).bluetoothGatts.last()

    private fun shadowGatt(): ShadowBluetoothGatt = Shadow.extract(gatt())

    /** Connects: the link comes up when the sensor answers, then MTU and discovery run. */
    private suspend fun connect() = kotlinx.coroutines.coroutineScope {
        val connecting = async(start = CoroutineStart.UNDISPATCHED) { client.connect() }
        shadowGatt().addDiscoverableService(service)
        shadowGatt().allowCharacteristicNotification(controlPoint)
        shadowGatt().allowCharacteristicNotification(record)
        shadowGatt().notifyConnection(device.address)
        shadowOf(Looper.getMainLooper()).idle()
        connecting.await()
    }

    @Test
    fun `connecting negotiates the large MTU and discovers the sensor's services`() = runBlocking {
        connect()
        assertEquals(517, client.mtu)
        assertTrue(shadowGatt().isConnected)
        assertEquals(listOf(SERVICE), gatt().services.map { it.uuid })
    }

    @Test
    fun `writes with and without response wait for their callback and reach the sensor`() = runBlocking {
        connect()
        client.write(CONTROL_POINT, byteArrayOf(0x01, 0x02))
        assertArrayEquals(byteArrayOf(0x01, 0x02), controlPoint.value)
        client.writeWithoutResponse(CONTROL_POINT, byteArrayOf(0x01, 25))
        assertArrayEquals(byteArrayOf(0x01, 25), controlPoint.value)
    }

    @Test
    fun `subscribing writes indications for the control point and notifications for records`() = runBlocking {
        connect()
        client.enableNotifications(CONTROL_POINT)
        assertArrayEquals(BluetoothGattDescriptor.ENABLE_INDICATION_VALUE, shadowGatt().latestWrittenBytes)
        client.enableNotifications(RECORD)
        assertArrayEquals(BluetoothGattDescriptor.ENABLE_NOTIFICATION_VALUE, shadowGatt().latestWrittenBytes)
    }

    @Test
    fun `notifications and the disconnect arrive in order on the event channel`() = runBlocking {
        connect()
        shadowGatt().gattCallback.onCharacteristicChanged(gatt(), record, byteArrayOf(7, 8, 9))
        shadowGatt().notifyDisconnection(device.address)
        shadowOf(Looper.getMainLooper()).idle()
        val first = client.events.receive() as GattEvent.Value
        assertEquals(RECORD, first.characteristic)
        assertArrayEquals(byteArrayOf(7, 8, 9), first.value)
        assertEquals(GattEvent.Disconnected, client.events.receive())
        assertEquals(23, client.mtu)
    }

    @Test
    fun `one operation at a time, so a write queued during the connection runs after it`() = runBlocking {
        val connecting = async(start = CoroutineStart.UNDISPATCHED) { client.connect() }
        val writing = async(start = CoroutineStart.UNDISPATCHED) { client.write(CONTROL_POINT, byteArrayOf(0x05)) }
        yield()
        assertFalse("the write must wait for the connection", writing.isCompleted)
        assertEquals(null, controlPoint.value)
        shadowGatt().addDiscoverableService(service)
        shadowGatt().notifyConnection(device.address)
        shadowOf(Looper.getMainLooper()).idle()
        connecting.await()
        writing.await()
        assertArrayEquals(byteArrayOf(0x05), controlPoint.value)
    }

    @Test
    fun `a callback Android makes unasked does not answer the operation waiting`() = runBlocking {
        connect()
        // Write callbacks held back: the test gives them.
        shadowGatt().setGattCallback(object : BluetoothGattCallback() {
            override fun onConnectionStateChange(g: BluetoothGatt, status: Int, newState: Int) =
                client.callback.onConnectionStateChange(g, status, newState)
        })
        val writing = async(start = CoroutineStart.UNDISPATCHED) { client.write(CONTROL_POINT, byteArrayOf(0x09)) }
        // The phone's own connection event changed the MTU, and services were found again.
        client.callback.onMtuChanged(gatt(), 247, BluetoothGatt.GATT_SUCCESS)
        client.callback.onServicesDiscovered(gatt(), BluetoothGatt.GATT_SUCCESS)
        // A late answer to a write of another characteristic.
        client.callback.onCharacteristicWrite(gatt(), record, BluetoothGatt.GATT_SUCCESS)
        assertFalse("the write still waits for its own callback", writing.isCompleted)
        client.callback.onCharacteristicWrite(gatt(), controlPoint, BluetoothGatt.GATT_SUCCESS)
        writing.await()
        assertEquals(247, client.mtu)
    }

    @Test
    fun `cancelling an operation whose callback never comes drops the link`() = runBlocking {
        connect()
        // The sensor goes silent: write callbacks stop, connection changes still arrive.
        shadowGatt().setGattCallback(object : BluetoothGattCallback() {
            override fun onConnectionStateChange(g: BluetoothGatt, status: Int, newState: Int) =
                client.callback.onConnectionStateChange(g, status, newState)
        })
        val writing = async(start = CoroutineStart.UNDISPATCHED) { client.write(CONTROL_POINT, byteArrayOf(0x09)) }
        assertFalse(writing.isCompleted)
        writing.cancel() // the core's timeout, or the user
        writing.join()
        shadowOf(Looper.getMainLooper()).idle()
        assertEquals(GattEvent.Disconnected, client.events.receive())
        assertFalse(shadowGatt().isConnected)
    }

    @Test
    fun `a connection given up before it came up is closed, and its late word does not end the next one`() = runBlocking {
        val first = async(start = CoroutineStart.UNDISPATCHED) { client.connect() }
        val abandoned = gatt()
        first.cancel() // the core's connect timeout: the sensor is out of range
        first.join()
        assertTrue("its client slot is given back", Shadow.extract<ShadowBluetoothGatt>(abandoned).isClosed)

        connect()
        assertTrue("a new BluetoothGatt", gatt() !== abandoned)
        client.callback.onConnectionStateChange(abandoned, BluetoothGatt.GATT_SUCCESS, android.bluetooth.BluetoothProfile.STATE_DISCONNECTED)
        client.write(CONTROL_POINT, byteArrayOf(0x05))
        assertArrayEquals("the new link still works", byteArrayOf(0x05), controlPoint.value)
    }

    @Test
    fun `an operation on a characteristic the sensor lacks fails with its uuid`() = runBlocking {
        connect()
        val missing = UUID.fromString("0000ffff-0000-1000-8000-00805f9b34fb")
        val error = runCatching { client.write(missing, byteArrayOf(1)) }.exceptionOrNull()
        assertTrue("$error", error?.message?.contains(missing.toString()) == true)
    }

    private companion object {
        val SERVICE: UUID = UUID.fromString(sensorUuids().calfPumpService)
        val CONTROL_POINT: UUID = UUID.fromString(sensorUuids().controlPoint)
        val RECORD: UUID = UUID.fromString(sensorUuids().record)
    }
}
