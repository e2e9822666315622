package app.secondheart.core

import java.util.UUID
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.delay
import kotlinx.coroutines.channels.ReceiveChannel
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.sensorUuids

/**
 * A GATT link to the simulated sensor, byte for byte: reads, writes and
 * subscriptions go to the Rust [DemoSensor], whose notifications are
 * delivered in order. The apps' demo mode pairs and syncs it; tests use it
 * to drop the link after a number of record notifications, as a phone
 * walking out of range does. With [paceMillis] each notification takes
 * that long to arrive, as over a real radio, so a sync can be watched.
 *
 * Live data: the sensor's time is its clock's plus what [advance] moved it
 * on. Tests and screenshots call [advance] to let time pass (no waiting);
 * a demo on the system clock passes [liveTickMillis] and the frames due
 * are delivered that often while connected.
 */
@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class DemoGattClient(
    private val sensor: DemoSensor,
    override val mtu: Int = 247,
    private var dropLinkAfterRecordNotifications: Int? = null,
    paceMillis: Long = 0,
    private val liveTickMillis: Long = 0,
) : GattClient {
    private val raw = Channel<GattEvent>(Channel.UNLIMITED)
    override val events: ReceiveChannel<GattEvent> =
        if (paceMillis <= 0) {
            raw
        } else {
            CoroutineScope(Dispatchers.Default).produce(capacity = Channel.UNLIMITED) {
                for (event in raw) {
                    delay(paceMillis)
                    send(event)
                }
            }
        }
    @Volatile
    private var connected = false
    var connections = 0
        private set
    private var ticker: Job? = null

    /** Every write made with response that the sensor took, in order, for tests. */
    val writes: MutableList<Pair<UUID, ByteArray>> = java.util.Collections.synchronizedList(mutableListOf())

    /** Whether the link is up. */
    val isConnected: Boolean get() = connected

    override suspend fun connect() {
        connected = true
        connections++
        sensor.setMtu(mtu.toUShort())
        if (liveTickMillis > 0) {
            ticker = CoroutineScope(Dispatchers.Default).launch {
                while (connected) {
                    delay(liveTickMillis)
                    deliver()
                }
            }
        }
    }

    /**
     * Lets [millis] of the sensor's time pass at once (beyond its clock):
     * what the wearer does meanwhile is recorded, and the live frames and
     * cadence readings due are delivered.
     */
    fun advance(millis: Long) {
        sensor.advance(millis.toULong())
        deliver()
    }

    override suspend fun read(characteristic: UUID): ByteArray {
        check(connected) { "not connected" }
        return sensor.read(characteristic.toString())
    }

    override suspend fun write(characteristic: UUID, value: ByteArray) {
        check(connected) { "not connected" }
        sensor.write(characteristic.toString(), value)
        writes += characteristic to value
        deliver()
    }

    override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) {
        check(connected) { "not connected" }
        writesWithoutResponse++
        sensor.write(characteristic.toString(), value)
        deliver()
    }

    /** Writes made without response, for tests. */
    var writesWithoutResponse = 0
        private set

    override suspend fun enableNotifications(characteristic: UUID) {
        check(connected) { "not connected" }
        sensor.subscribe(characteristic.toString())
    }

    override suspend fun disconnect() {
        if (connected) dropLink()
    }

    @Synchronized
    private fun deliver() {
        while (connected) {
            val out = sensor.takeOutgoing() ?: return
            val uuid = UUID.fromString(out.characteristic)
            if (uuid == RECORD) {
                val left = dropLinkAfterRecordNotifications
                if (left != null) {
                    if (left == 0) {
                        dropLinkAfterRecordNotifications = null
                        dropLink()
                        return
                    }
                    dropLinkAfterRecordNotifications = left - 1
                }
            }
            raw.trySend(GattEvent.Value(uuid, out.value))
        }
    }

    private fun dropLink() {
        connected = false
        ticker?.cancel()
        sensor.disconnect()
        raw.trySend(GattEvent.Disconnected)
    }

    companion object {
        /** The Record characteristic, whose notifications carry a sync's records. */
        val RECORD: UUID = UUID.fromString(sensorUuids().record)
    }
}
