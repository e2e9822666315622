package app.secondheart.ui

import app.secondheart.core.DemoGattClient
import app.secondheart.core.GattClient
import app.secondheart.core.GattEvent
import app.secondheart.core.PlatformBleLink
import app.secondheart.state.DemoRadio
import app.secondheart.state.SensorRadio
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.delay
import uniffi.second_heart.BleLink
import uniffi.second_heart.BleLinkEvent
import uniffi.second_heart.sensorUuids

/**
 * The demo sensor's radio with a hand on its next link: [holdNextLink]
 * lets that link pass a number of record notifications and then holds the
 * rest until [Hold.release]. A test can so cancel a sync part-way through
 * however fast or slow the machine is: no race against the clock.
 *
 * Every other link is a [TracedLink], the newest one [latest]: a test that
 * moves the sensor's time on calls [flush] and waits for [caughtUp], so it
 * knows the screens have every frame of that time, on any machine.
 */
class HeldRadio(private val demo: DemoRadio) : SensorRadio by demo {
    @Volatile
    private var next: Hold? = null

    /** The newest link the screens opened, unless it was held. */
    @Volatile
    var latest: TracedLink? = null
        private set

    /** The next link passes [recordNotifications] record notifications, then holds. */
    fun holdNextLink(recordNotifications: Int): Hold = Hold(recordNotifications).also { next = it }

    override fun link(id: String): BleLink {
        val hold = next ?: return TracedLink(DemoGattClient(demo.sensor, liveTickMillis = LIVE_TICK_MS)).also { latest = it }
        next = null
        return PlatformBleLink(HeldGattClient(DemoGattClient(demo.sensor), hold))
    }

    /** Puts what the sensor sent by its time now into the newest link at once. */
    fun flush() {
        latest?.flush()
    }

    /** The newest link is streaming live data: the sensor said yes to it. */
    fun streaming(): Boolean = latest?.streaming() == true

    /** The core has finished with everything the newest link delivered (true without a link). */
    fun caughtUp(): Boolean = latest?.caughtUp() != false
}

/** The demo link's own delivery, as the apps' demo mode has it, ms. */
private const val LIVE_TICK_MS = 100L

/**
 * The core's link to the demo sensor through [client], keeping count of
 * the events the core takes: it asks for the next event only once it has
 * finished with the last one (the frame counted, the screen's state set),
 * so when it is asking again with none left it is caught up.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class TracedLink(private val client: DemoGattClient) : BleLink {
    private val platform = PlatformBleLink(client)

    /** Events handed to the core; guarded by this. */
    private var taken = 0

    /** Events the core has finished with; guarded by this. */
    private var handled = 0

    /** The event that answered the core's first request to the sensor (start live data), counted from 1; guarded by this. */
    private var answer: Int? = null

    /** The core dropped the link (after telling the sensor to stop live data). */
    @Volatile
    var disconnected = false
        private set

    override suspend fun connect() = platform.connect()

    override fun mtu(): UShort = platform.mtu()

    override suspend fun read(characteristic: String): ByteArray = platform.read(characteristic)

    override suspend fun write(characteristic: String, value: ByteArray) = platform.write(characteristic, value)

    override suspend fun writeWithoutResponse(characteristic: String, value: ByteArray) = platform.writeWithoutResponse(characteristic, value)

    override suspend fun subscribe(characteristic: String) = platform.subscribe(characteristic)

    override suspend fun disconnect() {
        platform.disconnect()
        disconnected = true
    }

    override suspend fun nextEvent(): BleLinkEvent {
        while (true) {
            // Taking an event and counting it happen under one lock, so [caughtUp] never sees one in between.
            val event = synchronized(this) {
                handled = taken
                client.events.tryReceive().getOrNull()?.also {
                    taken++
                    if (answer == null && it is GattEvent.Value && it.characteristic == CONTROL_POINT) answer = taken
                }
            }
            when (event) {
                is GattEvent.Value -> return BleLinkEvent.Notification(event.characteristic.toString(), event.value)
                GattEvent.Disconnected -> return BleLinkEvent.Disconnected
                null -> delay(POLL_MS)
            }
        }
    }

    /** Delivers what the sensor sent by its time now, without waiting for the link's tick. */
    fun flush() = client.advance(0)

    /** The core has the sensor's answer to its request for live data. */
    fun streaming(): Boolean = synchronized(this) { answer?.let { handled >= it } == true }

    /** The core has finished with every event delivered so far, or dropped the link (it takes no more). */
    fun caughtUp(): Boolean = synchronized(this) { disconnected || (handled == taken && client.events.isEmpty) }

    private companion object {
        /** The sensor's control point, whose indications answer the core's requests. */
        val CONTROL_POINT: UUID = UUID.fromString(sensorUuids().controlPoint)

        /** How often an idle link looks for the next event, ms. */
        const val POLL_MS = 5L
    }
}

/** Where a held link stops: after [passing] record notifications, until [release]. */
class Hold(private val passing: Int) {
    private val arrived = AtomicInteger()
    private val opened = CompletableDeferred<Unit>()

    /** A record notification is being held back. */
    val holding: Boolean get() = arrived.get() > passing && !opened.isCompleted

    internal suspend fun pass() {
        if (arrived.incrementAndGet() > passing) opened.await()
    }

    /** Lets the rest through. */
    fun release() {
        opened.complete(Unit)
    }
}

/**
 * [inner], its record notifications passed through [hold]. The link may
 * drop and reconnect while held (the sync's idle timeout): the events keep
 * their order across it, as over a real radio.
 */
@OptIn(ExperimentalCoroutinesApi::class)
private class HeldGattClient(private val inner: GattClient, private val hold: Hold) : GattClient by inner {
    override val events: ReceiveChannel<GattEvent> = CoroutineScope(Dispatchers.Default).produce(capacity = Channel.UNLIMITED) {
        for (event in inner.events) {
            if (event is GattEvent.Value && event.characteristic == DemoGattClient.RECORD) hold.pass()
            send(event)
        }
    }
}
