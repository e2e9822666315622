package app.secondheart.core

import java.nio.file.Path
import java.time.Instant
import java.time.ZoneOffset
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.RingKind
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.TodayListener
import uniffi.second_heart.TodayView

/** `observeToday`: a fresh Today after every commit, until cancelled. */
class ObserveTodayTest {
    @TempDir
    lateinit var dir: Path

    private class Recorder : TodayListener {
        val seen = LinkedBlockingQueue<TodayView>()

        override fun todayChanged(today: TodayView) {
            seen += today
        }

        fun next(): TodayView = seen.poll(10, TimeUnit.SECONDS) ?: error("no Today arrived")

        fun none(): TodayView? = seen.poll(300, TimeUnit.MILLISECONDS)
    }

    @Test
    fun `fires with the new numbers after a walk and a drink, and stops once cancelled`() {
        val clock = SettableClock(berlin("2026-11-21T18:00"))
        SecondHeart.open(dir.resolve("a.db").toString(), clock).use { core ->
            val recorder = Recorder()
            val subscription = core.observeToday(recorder)
            assertNull(recorder.none(), "nothing changed yet")

            core.sessions().logWalk(berlin("2026-11-21T08:00"), null, 1800, 3200)
            val afterWalk = recorder.next()
            assertEquals(3200.0, afterWalk.ring(RingKind.STEPS))
            assertEquals(30u, afterWalk.summary.activeMinutes)

            core.sessions().drink(250u)
            assertEquals(250u, recorder.next().summary.hydrationMl)

            subscription.cancel()
            core.sessions().drink(250u)
            assertNull(recorder.none(), "a cancelled subscription hears nothing")
            assertEquals(500u, core.today().view().summary.hydrationMl)
            subscription.close()
        }
    }

    @Test
    fun `fires after a sensor sync with the synced sensor minutes`() = runBlocking {
        // The demo sensor records up to the real now: read Today then, in UTC.
        SecondHeart.open(dir.resolve("b.db").toString(), AppClock(java.time.Clock.system(ZoneOffset.UTC))).use { core ->
            core.demoSensor("SH-OBS-1", 2.0).use { sensor ->
                val recorder = Recorder()
                val subscription = core.observeToday(recorder)
                val report = (SensorSync(core, "demo", PlatformBleLink(DemoGattClient(sensor))).run() as SensorSyncOutcome.Done).report
                assertTrue(report.recordsStored > 0u)
                // The sync commits batch by batch; the last Today seen holds them all.
                var last = recorder.next()
                while (true) last = recorder.none() ?: break
                assertEquals(core.today().view().summary, last.summary)
                val midnight = Instant.now().atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant()
                if (Instant.now().minusSeconds(2 * 3600).isAfter(midnight)) {
                    assertTrue(last.summary.sensorMinutes >= 110u, "${last.summary}")
                } else {
                    assertTrue(last.summary.sensorMinutes > 0u, "${last.summary}")
                }
                subscription.cancel()
            }
        }
    }

    @Test
    fun `a listener that throws misses that Today but not the next, and the change is kept`() {
        val clock = SettableClock(berlin("2026-11-21T18:00"))
        SecondHeart.open(dir.resolve("c.db").toString(), clock).use { core ->
            var calls = 0
            val seen = LinkedBlockingQueue<TodayView>()
            core.observeToday(object : TodayListener {
                override fun todayChanged(today: TodayView) {
                    if (calls++ == 0) throw IllegalStateException("screen gone")
                    seen += today
                }
            }).use {
                core.sessions().drink(300u)
                core.sessions().drink(200u)
                assertEquals(500u, seen.poll(10, TimeUnit.SECONDS)!!.summary.hydrationMl)
                assertEquals(2, calls)
            }
        }
    }

    @Test
    fun `two observers both hear - closing the handle's subscription stops only that one`() {
        val clock = SettableClock(berlin("2026-11-21T18:00"))
        SecondHeart.open(dir.resolve("d.db").toString(), clock).use { core ->
            val a = Recorder()
            val b = Recorder()
            val subA = core.observeToday(a)
            core.observeToday(b).use {
                core.sessions().drink(100u)
                assertEquals(100u, a.next().summary.hydrationMl)
                assertEquals(100u, b.next().summary.hydrationMl)
            }
            core.sessions().drink(100u)
            assertEquals(200u, a.next().summary.hydrationMl)
            assertNull(b.none(), "closing a subscription cancels it")
            subA.cancel()
        }
    }
}
