package app.secondheart.core

import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import java.util.UUID
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.ReceiveChannel
import uniffi.second_heart.Clock
import uniffi.second_heart.RingKind
import uniffi.second_heart.TodayView

/** The zone the tests live in. */
val BERLIN: ZoneId = ZoneId.of("Europe/Berlin")

/** The instant of Berlin wall-clock time [local], e.g. "2026-11-21T08:00". */
fun berlin(local: String): Instant = LocalDateTime.parse(local).atZone(BERLIN).toInstant()

/** A clock the test moves by hand, as the day of a scenario goes by. */
class SettableClock(
    @Volatile var at: Instant,
    @Volatile var zone: String = "Europe/Berlin",
) : Clock {
    override fun now(): Instant = at

    override fun timeZone(): String = zone

    /** Moves to Berlin wall-clock time [local]. */
    fun setLocal(local: String) {
        at = berlin(local)
    }

    /** Moves on by [duration]. */
    fun advance(duration: Duration) {
        at = at.plus(duration)
    }
}

/** The value of the ring of [kind]. */
fun TodayView.ring(kind: RingKind): Double = rings.single { it.kind == kind }.value

/** A GATT write the fake saw: which characteristic, which bytes. */
data class SeenWrite(val characteristic: UUID, val value: List<Byte>)

/**
 * A [GattClient] that records every write and disconnect before handing it
 * to [inner], so a test can check what the sensor was told. With
 * [holdDeletes] the sensor never answers "delete stored records", so a sync
 * waits there until it is cancelled (a deterministic moment to cancel).
 */
class RecordingGattClient(private val inner: GattClient, private val holdDeletes: Boolean = false) : GattClient {
    /** Every write, with or without response, in order. */
    val writes: MutableList<SeenWrite> = java.util.Collections.synchronizedList(mutableListOf())

    @Volatile
    var disconnects = 0
        private set

    override val mtu: Int get() = inner.mtu
    override val events: ReceiveChannel<GattEvent> get() = inner.events

    override suspend fun connect() = inner.connect()

    override suspend fun read(characteristic: UUID): ByteArray = inner.read(characteristic)

    override suspend fun write(characteristic: UUID, value: ByteArray) {
        writes += SeenWrite(characteristic, value.toList())
        if (holdDeletes && characteristic == RACP && value.firstOrNull() == DELETE) awaitCancellation()
        inner.write(characteristic, value)
    }

    override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) {
        writes += SeenWrite(characteristic, value.toList())
        inner.writeWithoutResponse(characteristic, value)
    }

    override suspend fun enableNotifications(characteristic: UUID) = inner.enableNotifications(characteristic)

    override suspend fun disconnect() {
        disconnects++
        inner.disconnect()
    }

    /** Whether the sensor was sent an RACP Abort (opcode 0x03, operator 0x00). */
    fun sawAbort(): Boolean = saw(ABORT)

    /** Whether the sync asked the sensor to delete what it stored (opcode 0x02). */
    fun sawDelete(): Boolean = saw(DELETE)

    private fun saw(opcode: Byte) = synchronized(writes) { writes.any { it.characteristic == RACP && it.value.firstOrNull() == opcode } }

    companion object {
        /** The Record Access Control Point (docs/sensor-protocol.md). */
        val RACP: UUID = UUID.fromString("00002a52-0000-1000-8000-00805f9b34fb")
        const val DELETE: Byte = 0x02
        const val ABORT: Byte = 0x03
    }
}

/** Polls [condition] every 20 ms for up to [timeout]; true once it holds. */
fun eventually(timeout: Duration = Duration.ofSeconds(10), condition: () -> Boolean): Boolean {
    val end = System.nanoTime() + timeout.toNanos()
    while (System.nanoTime() < end) {
        if (condition()) return true
        Thread.sleep(20)
    }
    return condition()
}
